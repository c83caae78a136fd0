/* Upward: util includes the model and calls it. */
#include "util/up.h"
#include "model/m.h"

/* m_get is named in this comment, and in the string below, before the
 * call: the call's line is the one reported. */
int up_get(void)
{
	const char *name = "m_get";
	(void)name;
	return m_get();
}
