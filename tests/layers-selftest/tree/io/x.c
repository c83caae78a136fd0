/* A cycle within a layer: x.c includes y.h, y.c includes x.h. */
#include "io/x.h"
#include "io/y.h"
#include "model/m.h"

int x_get(void)
{
	return m_get() + y_count;
}
