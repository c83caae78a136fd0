#ifndef A_H
#define A_H
int a_run(void);
#endif
