/* One engine calls another, through no header: only nm sees it. */
#include "engines/a/a.h"
#include "io/x.h"

int b_run(void);

int a_run(void)
{
	return x_get() + b_run();
}
