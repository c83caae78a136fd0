#ifndef UP_H
#define UP_H
int up_get(void);
#endif
