/* Clean: the model uses util. */
#include "model/m.h"
#include "util/u.h"

int m_get(void)
{
	return u_add(1, 2);
}
