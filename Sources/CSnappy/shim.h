// libsnappy is C++; its C API (snappy-c.h) is what Swift calls. The shared
// library carries its own libstdc++ dependency, so linking it from Swift
// needs nothing more.
#include <snappy-c.h>
