#ifndef W_H
#define W_H
int w_get(void);
#endif
