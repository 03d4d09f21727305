//===- lg_interceptors_memory.cpp - free(): forget locks in freed memory ----===//
//
// A std::mutex has no destroy call: when its memory is freed and a new lock
// is allocated at the same address, only free() tells the two apart. Every
// lock marks its page and line in two hashed filters; a free() costs
// malloc_usable_size and one bit test per page of the block (nothing at all
// before the first lock), and the lock table is only probed for the 8-byte
// slots of marked lines.
// (`operator delete` reaches free through the PLT; realloc's internal free
// and reuse of stack slots are not seen.) Memory the program unmaps itself
// (munmap, a fixed mmap over it, or mremap moving or shrinking a mapping:
// a pool allocator's slabs) forgets its locks the same way.
//
//===----------------------------------------------------------------------===//
#include "lg_internal.h"
#include "lg_real.h"

#include <cstdarg>
#include <malloc.h>
#include <sys/mman.h>
#include <unwind.h>

using namespace lockgraph::rt;

namespace lockgraph::rt {
/// Two hashed filters of where locks ever lived: one bit per 4 KiB page and
/// one per 64-byte line. A free() looks at the pages its block spans, then
/// at the lines of a marked page, and only probes the lock table for the
/// 8-byte slots of a marked line.
constexpr unsigned PageFilterBits = 1u << 20;
constexpr unsigned LineFilterBits = 1u << 22;
std::atomic<uint64_t> GLockPages[PageFilterBits / 64];
std::atomic<uint64_t> GLockLines[LineFilterBits / 64];
std::atomic<bool> GAnyLock{false};

static inline uint32_t pageBit(uintptr_t Addr) {
  return uint32_t(hashAddr(Addr >> 12) >> 44) & (PageFilterBits - 1);
}
static inline uint32_t lineBit(uintptr_t Addr) {
  return uint32_t(hashAddr(Addr >> 6) >> 42) & (LineFilterBits - 1);
}
static inline void setBit(std::atomic<uint64_t> *Bits, uint32_t B) {
  if (!(Bits[B / 64].load(std::memory_order_relaxed) & (uint64_t(1) << (B % 64))))
    Bits[B / 64].fetch_or(uint64_t(1) << (B % 64), std::memory_order_relaxed);
}
static inline bool testBit(const std::atomic<uint64_t> *Bits, uint32_t B) {
  return Bits[B / 64].load(std::memory_order_relaxed) & (uint64_t(1) << (B % 64));
}

void notePageHasLock(uintptr_t Addr) {
  // A lock may straddle a page or line boundary (pthread_mutex_t: 40 bytes).
  for (uintptr_t A : {Addr, Addr + 39}) {
    setBit(GLockPages, pageBit(A));
    setBit(GLockLines, lineBit(A));
  }
  if (!GAnyLock.load(std::memory_order_relaxed))
    GAnyLock.store(true, std::memory_order_relaxed);
}

/// Calls \p Fn(Addr, Instance) for each lock in [\p Lo, \p Hi): the
/// pages the filter marks, then their marked lines, then the lock table for
/// each 8-byte slot of those.
template <typename FnT>
static void forEachLockIn(uintptr_t Lo, uintptr_t Hi, FnT Fn) {
  for (uintptr_t Page = Lo & ~uintptr_t(4095); Page < Hi; Page += 4096) {
    if (!testBit(GLockPages, pageBit(Page)))
      continue;
    uintptr_t From = Page < Lo ? Lo : Page;
    uintptr_t To = Page + 4096 > Hi ? Hi : Page + 4096;
    for (uintptr_t Line = From & ~uintptr_t(63); Line < To; Line += 64) {
      if (!testBit(GLockLines, lineBit(Line)))
        continue;
      uintptr_t A = Line < From ? (From + 7) & ~uintptr_t(7) : Line;
      uintptr_t E = Line + 64 > To ? To : Line + 64;
      for (; A < E; A += 8)
        if (InstanceId Inst = GLocks.lookup(A))
          Fn(A, Inst);
    }
  }
}

LG_NOINLINE void forgetLocksIn(uintptr_t Lo, uintptr_t Hi) {
  forEachLockIn(Lo, Hi, [](uintptr_t A, InstanceId) { GLocks.retire(A); });
}

namespace {
/// The frames above renewStackLocks: the start of each one's function and
/// the stack pointer it had at its call (the canonical frame address
/// _Unwind_GetCFA gives while the context is at that frame's PC is its
/// callee's), so that a function's locals lie at or above its Bottom and
/// below its caller's.
struct StackFrames {
  static constexpr unsigned Max = 64;
  unsigned N = 0;
  uintptr_t Bottom[Max];
  uintptr_t Function[Max];
};

_Unwind_Reason_Code collectFrame(struct _Unwind_Context *Ctx, void *Arg) {
  auto *F = static_cast<StackFrames *>(Arg);
  if (F->N == StackFrames::Max)
    return _URC_END_OF_STACK;
  F->Bottom[F->N] = _Unwind_GetCFA(Ctx);
  F->Function[F->N++] = _Unwind_GetRegionStart(Ctx);
  return _URC_NO_REASON;
}
} // namespace

void renewStackLocks(ThreadState *T) {
  if (!T->StackSpan || !GAnyLock.load(std::memory_order_relaxed))
    return;
  const uintptr_t Live = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  const uintptr_t Top = T->StackHi;
  // Not on the thread's own stack (a coroutine's, a signal stack): the
  // pages up to the thread's stack would be most of the address space.
  if (Live - T->StackLo > T->StackSpan)
    return;
  bool Any = false;
  for (uintptr_t Page = Live & ~uintptr_t(4095); Page < Top && !Any; Page += 4096)
    Any = testBit(GLockPages, pageBit(Page));
  if (!Any)
    return;
  RuntimeScope Scope(T); // keeps errno
  StackFrames Frames;
  _Unwind_Backtrace(collectFrame, &Frames);
  forEachLockIn(Live, Top, [&](uintptr_t A, InstanceId Inst) {
    unsigned K = 0;
    while (K + 1 < Frames.N && A >= Frames.Bottom[K + 1])
      ++K;
    // In the outermost frame the unwinder found (whose top it does not
    // know), or in a function without unwind information: no frame to tell.
    if (K + 1 >= Frames.N || A < Frames.Bottom[K] || !Frames.Function[K])
      return;
    const uint64_t Key = mix64(Frames.Function[K] * 31 + Frames.Bottom[K]) | 1;
    InstanceInfo &I = GLocks.info(Inst);
    if (!I.FrameKey)
      I.FrameKey = Key;
    else if (I.FrameKey != Key)
      GLocks.retire(A);
  });
}

} // namespace lockgraph::rt

namespace {
using FreeFn = void (*)(void *);
FreeFn RealFree;
bool Resolving;
} // namespace

LG_INTERFACE void free(void *P) {
  if (LG_UNLIKELY(!RealFree)) {
    if (Resolving)
      return; // dlsym freeing during our own resolution: leak it
    Resolving = true;
    RealFree = reinterpret_cast<FreeFn>(resolveReal("free", nullptr));
    Resolving = false;
  }
  if (P && GAnyLock.load(std::memory_order_relaxed)) {
    uintptr_t A = reinterpret_cast<uintptr_t>(P);
    size_t N = malloc_usable_size(P);
    forgetLocksIn(A, A + N);
  }
  RealFree(P);
}

LG_DEFINE_REAL(void *, mmap, (void *, size_t, int, int, int, off_t))
LG_DEFINE_REAL(int, munmap, (void *, size_t))
LG_DEFINE_REAL(void *, mremap, (void *, size_t, size_t, int, ...))

namespace {
/// Unmaps larger than this are not looked at: a bit test per page would
/// make unmapping a reserved range of address space (a runtime's heap
/// reservation, terabytes) take seconds; 1 GiB takes about a millisecond.
constexpr size_t MaxForgetBytes = size_t(1) << 30;

/// Before memory [\p Addr, \p Addr + \p Len) goes away: a lock that later
/// lives there is another one. Before, not after: once it is unmapped,
/// another thread may map that range again and create a lock in it.
void forgetUnmapped(void *Addr, size_t Len) {
  if (Len && Len <= MaxForgetBytes && GAnyLock.load(std::memory_order_relaxed)) {
    const uintptr_t A = reinterpret_cast<uintptr_t>(Addr);
    forgetLocksIn(A, A + Len);
  }
}
} // namespace

// A fixed mapping replaces what was mapped there, as an unmap would.
LG_INTERFACE void *mmap(void *Addr, size_t Len, int Prot, int Flags, int Fd,
                        off_t Offset) {
  if ((Flags & MAP_FIXED) && !(Flags & MAP_FIXED_NOREPLACE))
    forgetUnmapped(Addr, Len);
  return LG_REAL(mmap)(Addr, Len, Prot, Flags, Fd, Offset);
}

LG_INTERFACE int munmap(void *Addr, size_t Len) {
  forgetUnmapped(Addr, Len);
  return LG_REAL(munmap)(Addr, Len);
}

LG_INTERFACE void *mremap(void *Old, size_t OldLen, size_t NewLen, int Flags,
                          ...) {
  void *NewAddr = nullptr;
  if (Flags & MREMAP_FIXED) {
    va_list Args;
    va_start(Args, Flags);
    NewAddr = va_arg(Args, void *);
    va_end(Args);
  }
  void *R = LG_REAL(mremap)(Old, OldLen, NewLen, Flags, NewAddr);
  if (R == MAP_FAILED)
    return R;
  // Moved: the old range is gone (its locks live on at new addresses, as
  // new locks). Shrunk in place: its tail is. Recorded after the call,
  // which errno must survive.
  const int SavedErrno = errno;
  if (R != Old)
    forgetUnmapped(Old, OldLen);
  else if (NewLen < OldLen)
    forgetUnmapped(static_cast<char *>(Old) + NewLen, OldLen - NewLen);
  errno = SavedErrno;
  return R;
}
