// The plugin of dlclose-plugin-location.c: its initializer writes, called
// under its loader's lock.
#include <unistd.h>

void plugin_init(void) {
  write(1, "plugin initializing\n", 20); // PLUGIN-WRITE
}
