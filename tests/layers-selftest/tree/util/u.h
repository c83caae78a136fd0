/* Clean: util uses nothing. */
#ifndef U_H
#define U_H
int u_add(int a, int b);
#endif
