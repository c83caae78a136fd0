#ifndef Y_H
#define Y_H
extern int y_count;
int y_get(void);
#endif
