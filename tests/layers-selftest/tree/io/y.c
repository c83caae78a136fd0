#include "y.h"
#include "x.h"

int y_count = 3;

int y_get(void)
{
	return x_get();
}
