#include "util/u.h"

int u_add(int a, int b)
{
	return a + b;
}
