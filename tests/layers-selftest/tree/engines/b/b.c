/* ... and that one includes the first, relative to its own folder. */
#include "b.h"
#include "../a/a.h"

int b_run(void)
{
	return 1;
}
