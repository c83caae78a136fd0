#ifndef X_H
#define X_H
int x_get(void);
#endif
