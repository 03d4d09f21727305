//===- lg_interceptors_once.cpp - pthread_once and C11 call_once ----------===//
//
// A once-initialization orders locks as a lock does: the thread that runs
// the initializer holds it while the initializer runs, and a thread that
// calls it meanwhile waits until it is done (LockKind::Once). So a thread
// that calls it holding M, while the initializer takes M, is a cycle, and
// when both happen at once, a deadlock the watchdog sees. libstdc++'s
// std::call_once calls pthread_once; glibc's C11 call_once calls its own
// pthread_once below the PLT and has a hook of its own. Once done, a call
// is glibc's alone: one load.
//
//===----------------------------------------------------------------------===//
#include "lg_acquire.h"
#include "lg_real.h"

#include <threads.h>

using namespace lockgraph::rt;

LG_DEFINE_REAL(int, pthread_once, (pthread_once_t *, void (*)(void)))
LG_DEFINE_REAL(void, call_once, (once_flag *, void (*)(void)))

/// What the trampoline needs of the once call the thread is in.
struct lockgraph::rt::PendingOnceCall {
  void (*Init)(void);
  uintptr_t Control;
  /// The once is on the held stack (not when the lock table is full).
  bool Tracked;
};

namespace {
/// The done bit of a glibc once control (__PTHREAD_ONCE_DONE,
/// nptl/pthread_once.c); C11's once_flag holds the same int.
constexpr int OnceDone = 2;

LG_ALWAYS_INLINE bool onceDone(const void *Control) {
  return __atomic_load_n(static_cast<const int *>(Control), __ATOMIC_ACQUIRE) &
         OnceDone;
}

/// Takes the once for the lock order (edges from the locks held), with
/// nothing to call: the real call comes after.
void acquireOnce(ThreadState *T, uintptr_t Control, void *FP) {
  acquireCall(T, Control, [](unsigned &) { return uint8_t(KindOnce); },
              ModeExclusive, 0, FP, [] { return 0; });
}

LG_ALWAYS_INLINE bool onceInnermost(const ThreadState *T, uintptr_t Control) {
  return T->Depth && T->Held[T->Depth - 1].Addr == Control;
}

/// Runs in place of the initializer, in the thread glibc chose to run it:
/// that thread holds the once while it runs (and waits for it no longer).
void onceTrampoline() {
  ThreadState *T = TLSState;
  PendingOnceCall *Call = T ? T->PendingOnce : nullptr;
  if (!Call) // cannot happen: the hook sets it before the real call
    return;
  void (*Init)(void) = Call->Init;
  struct Release {
    ThreadState *T;
    uintptr_t Control;
    ~Release() { // also when the initializer throws or is cancelled
      if (T && !T->InRuntime)
        preRelease(T, Control, __builtin_frame_address(0));
    }
  } Held{nullptr, Call->Control};
  if (Call->Tracked && !T->InRuntime) {
    T->Waiting.store(0, std::memory_order_release);
    // The entry the hook released stays as it was, with the stack of the
    // program's call, unless a signal handler took a lock meanwhile.
    const uint32_t D = T->Depth;
    if (LG_LIKELY(T->Held[D].Addr == Call->Control))
      pushHeld(T, D);
    else
      acquireOnce(T, Call->Control, __builtin_frame_address(0));
    if (onceInnermost(T, Call->Control)) {
      T->Held[T->Depth - 1].HoldMarks |= HeldLock::OnceInit;
      Held.T = T;
    }
  }
  Init();
}

/// A call of once control \p Control with initializer \p Init, not done
/// when looked at: \p Real(Trampoline) is the real call.
template <typename RealFn>
auto onceCall(ThreadState *T, void *Control, void (*Init)(void), void *FP,
              RealFn Real) {
  const uintptr_t Addr = reinterpret_cast<uintptr_t>(Control);
  acquireOnce(T, Addr, FP);
  PendingOnceCall Call{Init, Addr, onceInnermost(T, Addr)};
  if (Call.Tracked) {
    // Until glibc runs the initializer here, or it is done elsewhere, the
    // thread waits for the once as for a lock: Held[Depth] describes it.
    releaseInnermost(T, Addr);
    T->Waiting.store(uint64_t(++T->WaitCounter) | uint64_t(1) << 32,
                     std::memory_order_release);
  }
  struct Restore {
    ThreadState *T;
    PendingOnceCall *Saved;
    ~Restore() {
      T->Waiting.store(0, std::memory_order_relaxed);
      T->PendingOnce = Saved;
    }
  } Restore{T, T->PendingOnce};
  T->PendingOnce = &Call;
  return Real(&onceTrampoline);
}
} // namespace

LG_INTERFACE int pthread_once(pthread_once_t *Control, void (*Init)(void)) {
  ThreadState *T;
  if (onceDone(Control) || !(T = currentThread()))
    return LG_REAL(pthread_once)(Control, Init);
  return onceCall(T, Control, Init, __builtin_frame_address(0),
                  [Control](void (*Trampoline)(void)) {
                    return LG_REAL(pthread_once)(Control, Trampoline);
                  });
}

LG_INTERFACE void call_once(once_flag *Flag, void (*Init)(void)) {
  ThreadState *T;
  if (onceDone(Flag) || !(T = currentThread()))
    return LG_REAL(call_once)(Flag, Init);
  onceCall(T, Flag, Init, __builtin_frame_address(0),
           [Flag](void (*Trampoline)(void)) {
             LG_REAL(call_once)(Flag, Trampoline);
           });
}
