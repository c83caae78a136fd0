#include "util/w.h"
#include "util/twice.h"

int w_get(void)
{
	return u_twice_x();
}
