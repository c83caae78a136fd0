/* Compiled as C99 -pedantic-errors: the public header must be plain C99. */
#include <kith.h>

int header_c99_check(void);

int header_c99_check(void)
{
	kith_event ev = KITH_EVENT_INIT;
	ev.type = KITH_EVENT_MESSAGE;
	return (int)ev.size + (int)KITH_OK;
}
