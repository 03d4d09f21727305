//===- LockGraph.h - The one lock-order graph both halves write -*- C++ -*-===//
//
// A node is a lock *class*: statically a declaration (`Account::mu_`, a global
// symbol), at run time an instance class (global symbol or first-acquisition
// site). Nodes are identified by their name, which is what makes graphs from
// many processes and from the static analyzer merge into one.
//
// An edge A -> B means "B was acquired while A was held". It carries the
// evidence for that claim: per distinct observation, the thread, the other
// locks held at the time (gate-lock candidates), the acquisition modes, whether
// B was only try-acquired, where both acquisitions happened, and a count.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_CORE_LOCKGRAPH_H
#define LOCKGRAPH_CORE_LOCKGRAPH_H

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lockgraph {

using LockId = uint32_t;
/// Index into LockGraph::threads(); NoThread when the thread is unknown (the
/// static analyzer cannot tell which thread runs a function).
using ThreadIndex = uint32_t;
inline constexpr ThreadIndex NoThread = UINT32_MAX;

enum class LockKind : uint8_t {
  Unknown,
  Mutex,
  RecursiveMutex,
  RwLock,   // pthread_rwlock_t, std::shared_mutex: mode is per acquisition
  SpinLock,
  C11Mutex, // mtx_t
  // A once-initialization (pthread_once_t, std::once_flag, C11 once_flag):
  // held by the thread that runs the initializer while it runs; a thread
  // that calls it meanwhile waits as for a lock (the run-time half only).
  Once,
  // Wait nodes: not locks, but things a thread can block on while holding
  // locks. An edge L -> W means "waited for W while holding L"; an edge
  // W -> L means "whoever ends the wait (the notifier of a condition
  // variable, the joined thread) acquires L first". A cycle through a wait
  // node is a deadlock that needs no second lock in the waiting thread.
  CondVar,  // a condition variable; its mutex is released by the wait
  Thread,   // a thread, waited for by join (or future::get)
};

/// Whether \p K is a wait node rather than a lock.
inline bool isWaitKind(LockKind K) {
  return K == LockKind::CondVar || K == LockKind::Thread;
}

/// How one acquisition took the lock. Read/write is a property of the
/// acquisition, not of the lock: the same rwlock is taken both ways.
enum class AcquireMode : uint8_t { Exclusive, Shared };

std::string_view toString(LockKind K);
std::optional<LockKind> parseLockKind(std::string_view S);
std::string_view toString(AcquireMode M);
std::optional<AcquireMode> parseAcquireMode(std::string_view S);

/// One source position or one stack frame. Statically a call chain is a
/// Stack of frames (innermost = the acquisition itself); at run time a
/// captured and symbolized stack is the same shape.
struct Frame {
  std::string Function; ///< demangled function name, may be empty
  std::string File;     ///< source file, may be empty when unsymbolized
  unsigned Line = 0;
  unsigned Column = 0;
  std::string Module;   ///< run time: the object file (dladdr), else empty
  uint64_t Offset = 0;  ///< run time: offset of the PC inside Module

  bool hasSource() const { return !File.empty() && Line != 0; }
  friend bool operator==(const Frame &, const Frame &) = default;
};
/// Innermost frame first. Copies share the frames (copy on write): a
/// graph holds each distinct stack once, however many pieces of evidence
/// point at it. Reading a test suite's graphs (nng: 527 processes) took
/// 3.2 GB and 23 s when every piece of evidence owned its copy.
class Stack {
public:
  using value_type = Frame;
  using const_iterator = std::vector<Frame>::const_iterator;
  using iterator = const_iterator;
  using size_type = size_t;

  Stack() = default;
  Stack(std::vector<Frame> Frames)
      : Shared(Frames.empty() ? nullptr
                              : std::make_shared<std::vector<Frame>>(std::move(Frames))) {}
  Stack(std::initializer_list<Frame> Init) : Stack(std::vector<Frame>(Init)) {}
  template <typename It> Stack(It Begin, It End) : Stack(std::vector<Frame>(Begin, End)) {}

  const std::vector<Frame> &frames() const { return Shared ? *Shared : none(); }
  const_iterator begin() const { return frames().begin(); }
  const_iterator end() const { return frames().end(); }
  size_t size() const { return Shared ? Shared->size() : 0; }
  bool empty() const { return size() == 0; }
  const Frame &operator[](size_t I) const { return (*Shared)[I]; }
  const Frame &front() const { return Shared->front(); }
  const Frame &back() const { return Shared->back(); }

  /// The frames to change: this stack's own copy from now on.
  std::vector<Frame> &edit() {
    if (!Shared)
      Shared = std::make_shared<std::vector<Frame>>();
    else if (Shared.use_count() > 1)
      Shared = std::make_shared<std::vector<Frame>>(*Shared);
    return *Shared;
  }
  void push_back(Frame F) { edit().push_back(std::move(F)); }
  void clear() { Shared.reset(); }

  friend bool operator==(const Stack &A, const Stack &B) {
    return A.Shared == B.Shared || A.frames() == B.frames();
  }

private:
  static const std::vector<Frame> &none() {
    static const std::vector<Frame> Empty;
    return Empty;
  }
  std::shared_ptr<std::vector<Frame>> Shared;
};

/// Whether a frame is inside the C/C++ runtime (std::mutex's inline
/// wrappers in /usr/include, glibc, libstdc++): a run-time stack starts
/// there, but the user's code is what a report must point at.
bool isSystemFrame(const Frame &F);
/// Whether \p F is in one of the program's own lock or condition-variable
/// wrappers: a method named as a lock call (`Mutex::Lock`,
/// `RWLock::ReaderLock`, `acquire`, `lock_shared`), the constructor of a
/// guard (`MutexLock::MutexLock`, `SpinLockHolder::SpinLockHolder`), or a
/// wait (`CondVar::Wait`, `nni_plat_cv_wait`, `uv_cond_timedwait`). Its
/// place is the same for every lock it takes and every wait it makes; its
/// caller's place is the one that tells them apart.
bool isSyncWrapperFrame(const Frame &F);
/// Index of the innermost frame of \p S outside the C/C++ runtime and the
/// program's lock and wait wrappers: where a report points (0 when every frame is
/// inside the runtime; the first frame outside it when every other frame
/// is a wrapper).
size_t firstUserFrame(const Stack &S);

struct Lock {
  std::string Name;   ///< identity and display name, e.g. "Account::mu_"
  LockKind Kind = LockKind::Unknown;
  Frame DeclaredAt;   ///< declaration or first-seen site
  /// When Name names one instance in one process (a run-time lock named by
  /// its first acquisition, `mutex@cache.cc:254#2`): the class of locks it
  /// is one of, the same in every process (`mutex@cache.cc:254`). Empty
  /// when Name is already that (a declaration, a global's symbol).
  std::string Class;
};

/// A part of one thread's run: segment 0 from its start to its first
/// pthread_create or pthread_join, then one more after each of them.
using SegmentIndex = uint32_t;
/// The segment is unknown: ordered with nothing.
inline constexpr SegmentIndex NoSegment = UINT32_MAX;

/// What thread starts and joins order (Bensalem and Havelund's segments):
/// everything thread FromThread did up to the end of segment FromSegment
/// happened before everything ToThread did from the start of ToSegment. A
/// pthread_create (Start) orders the creator's segment before the new
/// thread's segment 0; a pthread_join (Join), the joined thread's last
/// segment before the joiner's segment after the join. Within a thread, a
/// segment happens before the next.
struct ThreadOrder {
  enum Kind : uint8_t { Start, Join };
  ThreadIndex FromThread = NoThread;
  SegmentIndex FromSegment = NoSegment;
  ThreadIndex ToThread = NoThread;
  SegmentIndex ToSegment = NoSegment;
  Kind How = Start;
  bool operator==(const ThreadOrder &) const = default;
};

/// One distinct observation of an edge From -> To.
struct EdgeEvidence {
  ThreadIndex Thread = NoThread;
  /// The segment of Thread it was seen in (NoSegment: unknown, as for the
  /// static analyzer, or observations of several segments folded together).
  SegmentIndex Segment = NoSegment;
  AcquireMode FromMode = AcquireMode::Exclusive; ///< how From was held
  AcquireMode ToMode = AcquireMode::Exclusive;   ///< how To was acquired
  bool TryAcquire = false; ///< To was taken by a trylock (cannot block)
  /// From was held without a break since a condition-variable wait
  /// re-acquired it (for a join, To a thread: the joiner waited under From
  /// for what the thread does under From, a handshake).
  bool HeldSinceWait = false;
  /// To, a joined thread, had last notified a condition variable holding
  /// From, and had not taken From again since, when the join began (it
  /// announced under From that it was done: a handshake too).
  bool JoinedThreadDone = false;
  /// Locks other than From held while To was acquired; sorted, unique.
  std::vector<LockId> OtherHeld;
  Stack HeldAt;     ///< where From was acquired
  Stack AcquiredAt; ///< where To was acquired while From was held
  uint64_t Count = 1;
  /// Which half saw it: "static", "runtime", or a process/test label.
  std::string Origin;
};

struct Edge {
  LockId From = 0;
  LockId To = 0;
  std::vector<EdgeEvidence> Evidence;

  uint64_t totalCount() const;
};

enum class Severity : uint8_t { Warning, Error };

/// A note attached to a finding: the other half of the story (where the
/// other lock was taken, one frame of a call chain or stack).
struct FindingNote {
  Frame Where;
  std::string Message;
};

/// Notes for one stack \p S, from its first user frame outwards: that frame
/// carries \p Headline, each caller frame says which function it called
/// (`'lookup' called here`), up to the outermost frame with a source
/// location; the C/C++ runtime's frames around them are left out.
void appendStackNotes(std::vector<FindingNote> &Notes, const Stack &S,
                      std::string Headline);

/// One diagnostic, in the shape clang-tidy prints:
///   Location: warning: Message [Check]
///   Note.Where: note: Note.Message
struct Finding {
  std::string Check;   ///< stable check name, "lockgraph-lock-order"
  Severity Level = Severity::Warning;
  std::string Message; ///< lowercase, no final period
  Frame Location;
  std::vector<FindingNote> Notes;
  /// Names of the locks involved; for a cycle, in cycle order.
  std::vector<std::string> Locks;
  /// What the finding is about, without line numbers, so that it survives
  /// edits elsewhere in the file; hashed into SARIF partialFingerprints.
  std::string FingerprintKey;
  /// Empty when the finding stands; otherwise why it was suppressed
  /// (a filter's reason or a NOLINT/suppression).
  std::string SuppressedBy;
  /// Which half produced it: "static", "runtime", or both.
  std::string Origin;
};

/// The graph. Not thread-safe: callers serialize access.
class LockGraph {
public:
  /// Maximum number of distinct evidence records kept per edge; beyond it
  /// observations only increase the count of the closest record.
  static constexpr size_t MaxEvidencePerEdge = 16;

  /// Adds a lock or returns the existing one with the same name. An existing
  /// lock of kind Unknown takes the kind and declaration of \p L.
  LockId addLock(const Lock &L);
  std::optional<LockId> findLock(std::string_view Name) const;

  /// Registers a thread label and returns its index (labels need not be
  /// unique: two processes may both have a "main").
  ThreadIndex addThread(std::string Label);

  /// Records an observation of From -> To. Evidence identical to a kept one
  /// except for the count is folded into it. Self edges (From == To) are a
  /// recursive acquisition, not an order, and are ignored.
  void addEdge(LockId From, LockId To, EdgeEvidence E);

  /// Merges \p Other into this graph by lock name. Threads of \p Other are
  /// appended (they are never the same threads as ours). \p Aliases, when
  /// given, renames locks of \p Other on the way in (alias -> name), so that
  /// two names for one lock become one node.
  void merge(const LockGraph &Other,
             const std::unordered_map<std::string, std::string> *Aliases = nullptr);

  const std::vector<Lock> &locks() const { return Locks; }
  const Lock &lock(LockId Id) const { return Locks[Id]; }
  const std::vector<Edge> &edges() const { return Edges; }
  const std::vector<std::string> &threads() const { return Threads; }

  /// Records that thread starts or joins order two threads' segments.
  void addThreadOrder(const ThreadOrder &O) { Orders.push_back(O); }
  const std::vector<ThreadOrder> &threadOrders() const { return Orders; }
  std::optional<size_t> findEdge(LockId From, LockId To) const;

  /// Findings recorded by the producer of this graph that are not cycles (a
  /// lock held across a blocking call, misuse, a real deadlock at run time).
  /// Cycle findings are computed from the graph instead (see Deadlocks.h).
  std::vector<Finding> &recordedFindings() { return Recorded; }
  const std::vector<Finding> &recordedFindings() const { return Recorded; }

  /// Lock acquisitions the producer saw and did not record (the runtime's
  /// max_edges_per_path sampling): a cycle through them may be missing.
  uint64_t sampledOut() const { return SampledOut; }
  void addSampledOut(uint64_t N) { SampledOut += N; }

  /// Findings the producer found and could not record (the runtime's
  /// report ring full: too many at once): findings may be missing.
  uint64_t reportsDropped() const { return ReportsDropped; }
  void addReportsDropped(uint64_t N) { ReportsDropped += N; }

private:
  static uint64_t edgeKey(LockId From, LockId To) {
    return (uint64_t(From) << 32) | To;
  }

  std::vector<Lock> Locks;
  std::unordered_map<std::string, LockId> LockByName;
  std::vector<Edge> Edges;
  std::unordered_map<uint64_t, size_t> EdgeByKey;
  std::vector<std::string> Threads;
  std::vector<ThreadOrder> Orders;
  std::vector<Finding> Recorded;
  uint64_t SampledOut = 0;
  uint64_t ReportsDropped = 0;
};

} // namespace lockgraph

#endif // LOCKGRAPH_CORE_LOCKGRAPH_H
