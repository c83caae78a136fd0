// Compiled as C++11 -pedantic-errors: the public header must be usable from C++.
#include <kith.h>

int header_cpp_check();

int header_cpp_check()
{
	kith_event ev = KITH_EVENT_INIT;
	ev.type = KITH_EVENT_MESSAGE;
	kith_community *c = nullptr;
	if (kith_community_new(&c) != KITH_OK)
		return 1;
	kith_community_free(c);
	return static_cast<int>(ev.size);
}
