// The other program of lock-order-build-targets.c: its main and the helper
// file are one CMake target.
void snapshot(void);

int main(void) {
  snapshot();
  return 0;
}
