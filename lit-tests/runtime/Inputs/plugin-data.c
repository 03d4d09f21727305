// The plugin of dlclose-address-reused.c: a global whose address it asks.
int plugin_counter = 1;
int *plugin_counter_address(void) { return &plugin_counter; }
