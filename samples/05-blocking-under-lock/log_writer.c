/* Sample 05: a lock held across blocking I/O.
 *
 * What goes wrong: log_line() appends to a shared buffer under log_mu and,
 * when the buffer is full, writes it to the log file with write() while still
 * holding log_mu. write() can block for as long as the disk, a full pipe or a
 * slow network file system takes, and every other thread that wants to log
 * waits on log_mu for that long: the lock turns one slow write into a stall
 * of the whole program (and into a deadlock if the reader of that pipe is
 * waiting for one of those threads).
 *
 * Fixed twin: log_writer_fixed.c swaps the full buffer out under the lock and
 * writes it after unlocking.
 * Check: lockgraph-blocking-under-lock (static and run time).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { kBufferSize = 512, kLinesPerThread = 200 };

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static char log_buffer[kBufferSize]; /* guarded by log_mu */
static size_t log_used;              /* guarded by log_mu */
static int log_fd = -1;

/* Appends Line to the log. Caller must not hold log_mu. */
static void log_line(const char *line) {
  size_t len = strlen(line);
  pthread_mutex_lock(&log_mu);
  if (log_used + len > sizeof log_buffer) {
    /* BUG: blocking system call while holding log_mu. */
    if (write(log_fd, log_buffer, log_used) < 0)
      perror("write");
    log_used = 0;
  }
  memcpy(log_buffer + log_used, line, len);
  log_used += len;
  pthread_mutex_unlock(&log_mu);
}

static void *worker(void *arg) {
  char line[64];
  for (int i = 0; i < kLinesPerThread; ++i) {
    snprintf(line, sizeof line, "worker %ld: request %d done\n", (long)arg, i);
    log_line(line);
  }
  return NULL;
}

int main(void) {
  char path[] = "/tmp/lockgraph-sample-log-XXXXXX";
  log_fd = mkstemp(path);
  if (log_fd < 0) {
    perror("mkstemp");
    return 1;
  }
  unlink(path); /* the file lives until log_fd is closed */

  pthread_t threads[2];
  for (long i = 0; i < 2; ++i)
    pthread_create(&threads[i], NULL, worker, (void *)i);
  for (int i = 0; i < 2; ++i)
    pthread_join(threads[i], NULL);

  /* Flush the tail (single-threaded by now). */
  if (log_used > 0 && write(log_fd, log_buffer, log_used) < 0)
    perror("write");
  long size = (long)lseek(log_fd, 0, SEEK_END);
  close(log_fd);
  printf("log_writer: wrote %ld bytes\n", size);
  return 0;
}
