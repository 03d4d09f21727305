// bear, when one clang command compiles several files, records a compiler
// front-end invocation (`clang -cc1 ...`) beside each file's driver
// command. Such an entry is no command a tool can run: it is left out, and
// the file is analyzed with its driver command (it was "could not be
// parsed; not analyzed", exit status 2). A database of front-end entries
// only lists no file to analyze.
// RUN: rm -rf %t && mkdir -p %t/both %t/cc1
// RUN: printf '[{"directory": "%t", "file": "%s", "arguments": ["clang", "-c", "%s"]},\n{"directory": "%t", "file": "%s", "arguments": ["/usr/lib/llvm-19/bin/clang", "-cc1", "-triple", "x86_64-pc-linux-gnu", "-emit-obj", "-main-file-name", "x.c", "-resource-dir=/nonexistent", "%s"]}]' > %t/both/compile_commands.json
// RUN: not %lockgraph check -p %t/both --no-cache 2>&1 | FileCheck %s --implicit-check-not=error
// RUN: printf '[{"directory": "%t", "file": "%s", "arguments": ["/usr/lib/llvm-19/bin/clang", "-cc1", "-emit-obj", "%s"]}]' > %t/cc1/compile_commands.json
// RUN: not %lockgraph check -p %t/cc1 --no-cache 2>&1 | FileCheck %s --check-prefix=NONE
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t L = PTHREAD_MUTEX_INITIALIZER;

void f(int fd) {
  char c;
  pthread_mutex_lock(&L);
  (void)!read(fd, &c, 1);
  pthread_mutex_unlock(&L);
}

// CHECK: database-frontend-entries.c:[[#@LINE-4]]:10: warning: blocking call to 'read' while holding 'L' [lockgraph-blocking-under-lock]
// CHECK: 1 finding.

// NONE: lockgraph: error: compilation database '{{.*}}compile_commands.json' lists no files
