/* Upward from an inline function: the call is the header's, though the
 * object that holds it is w.c's. */
#ifndef TWICE_H
#define TWICE_H
int x_get(void);
static inline int u_twice_x(void)
{
	return 2 * x_get();
}
#endif
