// A class of its own that wraps a lock (gtest's Mutex: a lock member and
// Lock()/Unlock()) is synchronization, not data: calls on it are not
// accesses the race check records, while the counter it guards is. So the
// wrapper is never reported as "written without holding itself".
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/db "" %s
// RUN: %lockgraph check -p %t/db --no-cache --emit-summaries=%t/summaries 2>&1 | count 0
// RUN: %python -c "import glob, json, sys; fs = json.load(open(glob.glob(sys.argv[1] + '/*.json')[0]))['functions']; print(sorted({a['var']['name'] for f in fs for a in f.get('accesses', [])}))" %t/summaries | FileCheck %s
// CHECK: ['g_count']
#include <pthread.h>
#include <thread>
class Mutex {
public:
  void Lock() { pthread_mutex_lock(&m_); }
  void Unlock() { pthread_mutex_unlock(&m_); }
  void AssertHeld() {}
private:
  pthread_mutex_t m_ = PTHREAD_MUTEX_INITIALIZER;
};
Mutex g_wrapped;
int g_count;
void worker() {
  g_wrapped.Lock();
  g_wrapped.AssertHeld();
  ++g_count;
  g_wrapped.Unlock();
}
void other() {
  g_wrapped.Lock();
  g_wrapped.AssertHeld();
  g_wrapped.AssertHeld();
  ++g_count;
  g_wrapped.Unlock();
}
int main() {
  std::thread a(worker), b(other);
  a.join();
  b.join();
}
