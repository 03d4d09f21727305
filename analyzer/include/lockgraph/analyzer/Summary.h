//===- Summary.h - Per-function lock summaries (no Clang) -------*- C++ -*-===//
//
// What the per-TU phase extracts from each function, in terms of the
// function's own parameters and `this`, so that the link step can substitute
// the arguments of every call site. A TU's summaries serialize to JSON
// (llvm::json) so the per-TU phase can run as an ordinary build step and its
// results can be cached; the link step (Linker.h) merges them.
//
// This header includes no Clang header: the link step, the cache and the
// `lockgraph check` command use it without paying for the Clang AST.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYZER_SUMMARY_H
#define LOCKGRAPH_ANALYZER_SUMMARY_H

#include "lockgraph/core/LockGraph.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <optional>
#include <string>
#include <vector>

namespace lockgraph::analyzer {

/// Format version of serialized TU summaries; bump on any change.
inline constexpr int SummaryFormatVersion = 32;

/// One field access on the way from a base object to a lock.
struct PathElem {
  std::string Field; ///< field name, "mu_"
  std::string Class; ///< qualified name of the class declaring it
  /// The object holding this field was reached through a pointer loaded
  /// from the previous path element (so its identity is unknown).
  bool ThroughPointer = false;
  friend bool operator==(const PathElem &, const PathElem &) = default;
  friend auto operator<=>(const PathElem &, const PathElem &) = default;
};

/// Where a lock expression starts.
enum class BaseKind : uint8_t {
  Global,  ///< a global or static variable (Name: qualified name)
  Local,   ///< an automatic variable (Name: "function::var")
  Param,   ///< parameter Index of the analyzed function
  This,    ///< the implicit object of the analyzed method
  Unknown, ///< an object we cannot name (Name: its class or a description)
};

/// A symbolic lock: a base object plus a field path, in the space of the
/// function that mentions it. Parameters and `this` are substituted at call
/// sites by the link step.
struct LockRef {
  BaseKind Base = BaseKind::Unknown;
  std::string Name;
  int Index = -1;
  std::vector<PathElem> Path;
  LockKind Kind = LockKind::Unknown;
  /// As a call argument: the value is a pointer loaded from the last path
  /// element, so fields reached through it have no known identity.
  bool PointerValue = false;

  /// Two equal precise refs denote the same lock object on a path (so a
  /// second acquisition is a self-deadlock). Unknown bases are not precise.
  bool precise() const { return Base != BaseKind::Unknown; }
  /// Depends on the caller (a parameter or `this`).
  bool symbolic() const { return Base == BaseKind::Param || Base == BaseKind::This; }
  /// Canonical text of the identity (kind excluded); map key.
  std::string key() const;
  /// The lock class: `Class::field` of the last field, else the base name.
  std::string className() const;
  /// An instance name when the lock is a field (through values only) of a
  /// named variable, e.g. `g_acct.mu`; empty otherwise.
  std::string instanceName() const;
  /// What messages show: the instance name if any, else the class name.
  std::string displayName() const;

  friend bool operator==(const LockRef &A, const LockRef &B) {
    return A.Base == B.Base && A.Name == B.Name && A.Index == B.Index &&
           A.Path == B.Path;
  }
};

/// Longest field path kept; longer ones become Unknown (bounds recursion).
inline constexpr size_t MaxPathLength = 4;

/// A text that changes exactly when a function's effect on its caller's
/// locks does (what it returns holding, what it releases): the cache key of
/// the passes that apply effects across files.
std::string effectDigest(const std::vector<struct HeldLock> &ReturnsHolding,
                         const std::vector<LockRef> &Releases);

/// \p R, written in a callee's space, as seen at a call site whose arguments
/// are \p Args and whose implicit object is \p This (in the caller's space).
/// A parameter without a known argument becomes Unknown, keeping its name.
LockRef substitute(const LockRef &R, const std::vector<std::optional<LockRef>> &Args,
                   const std::optional<LockRef> &This);

/// A lock held at some program point, and where it was acquired.
struct HeldLock {
  LockRef Lock;
  Frame At;
  AcquireMode Mode = AcquireMode::Exclusive;
  /// Held on some paths to here only (taken in an earlier iteration of a
  /// loop, under a condition): taking it again is no certain double lock.
  bool SomePaths = false;
};

/// One acquisition in a function body with the locks held just before it.
struct Acquisition {
  LockRef Lock;
  Frame At;
  AcquireMode Mode = AcquireMode::Exclusive;
  bool Try = false;
  std::vector<HeldLock> Held;
  /// Retakes a lock the function released for its caller (so callers do
  /// not see a new acquisition), or adopts one.
  bool Reacquire = false;
  /// Locks of the caller this function has released at this point.
  std::vector<LockRef> Released;
};

/// What every path to a call knows of a parameter, or of a field reached
/// from it: `if (sync)` is {Param, "", false, 0}; `if (!sync)` and
/// `if (msg == NULL)` are {Param, "", true, 0}; `if (op == 3)` is
/// {Param, "", true, 3}; `if (task->task_cb == NULL)` is
/// {Param, "->task_cb", true, 0}.
struct ParamFact {
  unsigned Param = 0;
  std::string Path;   ///< fields from the parameter: "->cb", ".opts.fast"
  bool Equal = false; ///< the value is (else is not) Value
  int64_t Value = 0;
  friend bool operator==(const ParamFact &, const ParamFact &) = default;
};

/// Whether what a call knows of its arguments (\p Known) makes the
/// callee's condition \p Guard false.
inline bool contradicts(const ParamFact &Guard, const std::vector<ParamFact> &Known) {
  for (const ParamFact &K : Known) {
    if (K.Param != Guard.Param || K.Path != Guard.Path || (!K.Equal && !Guard.Equal))
      continue;
    if (K.Equal && Guard.Equal ? K.Value != Guard.Value : K.Value == Guard.Value)
      return true;
  }
  return false;
}

/// A call to a function that may be defined anywhere in the program.
struct CallSite {
  std::string Callee;     ///< USR
  std::string CalleeName; ///< qualified name, for notes
  Frame At;
  std::vector<HeldLock> Held;
  /// Argument i as a lock/object ref, when it names one (by position of the
  /// callee's parameters).
  std::vector<std::optional<LockRef>> Args;
  std::optional<LockRef> This; ///< the implicit object of a method call
  /// Locks of the caller this function has released at this point.
  std::vector<LockRef> Released;
  /// Locks held here only under a condition the analysis does not follow
  /// (a guard given `thread_safe ? &mu : NULL`): lockgraph-race does not
  /// report the callee's accesses as unguarded by them, nor count them
  /// either way; no other check sees them.
  std::vector<LockRef> MaybeHeld;
  /// The caller starts threads and this call is outside the lifetime of
  /// every one of them, from its start to its join (lockgraph-race: the
  /// callee runs before the threads exist or after they are gone).
  bool Sequential = false;
  /// The caller starts threads and this call is inside the lifetime of
  /// these: the USRs of the functions they run ("" for one that cannot be
  /// named). Only they can run beside the callee, as far as the caller
  /// knows.
  std::vector<std::string> Running;
  /// The call is in a loop of the caller that re-checks its condition
  /// (lockgraph-cond-wait-no-loop: a wait wrapper called in such a loop).
  bool InLoop = false;
  /// The call is in the branch of a lazy initialization, `if (log_ ==
  /// nullptr) { ... log_ = ...; }` of a member or global: it runs once, the
  /// first time (leveldb's first LogAndApply opens the MANIFEST under the
  /// lock, when the database is opened), so what it may block in is not a
  /// blocking call of the caller's.
  bool OnceOnly = false;
  /// The call is made under a guard over a null lock (spdlog's
  /// null_mutex), single-threaded by the programmer's choice: lockgraph-race
  /// leaves out the callee's accesses through it.
  bool SingleThreaded = false;
  /// The first and last lines of the outermost loop of the caller around
  /// the call (0 when there is none): code before the call in source order
  /// may still run after it, in a later iteration.
  unsigned LoopFirstLine = 0, LoopLastLine = 0;
  /// Functions passed for the callee's function-pointer parameters, by
  /// position: a function's USR, ParamCallPrefix + j for the caller's own
  /// parameter j passed on, "" for anything else; empty when no argument is
  /// one. The link step resolves the callee's calls through its parameters
  /// per call site (a call through parameter k is a CallSite whose Callee is
  /// ParamCallPrefix + k).
  std::vector<std::string> FnArgs;
  /// What the caller knows of the arguments, by the callee's parameter
  /// positions: a constant (a literal, an enumerator, `false`, `NULL`), or
  /// the conditions every path here knows of the variable passed and its
  /// fields. With Guards, the link step leaves out the calls these make
  /// the callee skip (nng's nni_aio_finish passes sync = false, and
  /// nni_aio_finish_impl runs the callback itself only `if (sync)`).
  std::vector<ParamFact> ArgFacts;
  /// Conditions on the caller's parameters under which this call is made.
  std::vector<ParamFact> Guards;
  /// By the callee's parameter positions: the caller's own parameter passed
  /// on unchanged for it, or -1; empty when none is. What the caller's
  /// callers know of that parameter holds for the argument (libzmq's
  /// process_commands(0, ...) passes its timeout down to poll).
  std::vector<int> ParamArgs;
  /// A call through a function-pointer or std::function field of the
  /// function's own object (`this->cb()`): what it calls depends on which
  /// object that is (TUSummary::FieldTargets' owners).
  bool ThroughThis = false;
  /// The call reaches the callee itself, not what overrides it: a qualified
  /// call (`Channel::setProperty(name, value)` in an override of it), or a
  /// call on an object rather than through a pointer or reference.
  bool Direct = false;
};

/// CallSite::Callee of a call through the caller's function-pointer
/// parameter, followed by the parameter's index.
inline constexpr const char *ParamCallPrefix = "param#";

/// A call that may block (I/O, sleep, join, a condition-variable wait).
struct BlockingCall {
  std::string What; ///< "read", "std::this_thread::sleep_for"
  Frame At;
  std::vector<HeldLock> Held;
  /// Locks the call releases while it blocks (the mutex of a wait).
  std::vector<LockRef> Releases;
  /// Locks of the caller this function has released at this point.
  std::vector<LockRef> Released;
  /// The call blocks only when this function's parameter TimeoutParam is not
  /// 0 (`poll(fds, n, timeout)` with the caller's timeout: 0 polls and
  /// returns); -1: it may block whatever the arguments.
  int TimeoutParam = -1;
};

/// A wait for another thread (issue 8): a condition-variable wait, or a
/// join of (a wait on the result of) a thread started in the same function.
/// The link step turns it into edges `L -> W` of the lock graph, W a wait
/// node (LockKind::CondVar or LockKind::Thread), for every lock L held
/// across the wait and not released by it.
struct WaitSite {
  LockKind Kind = LockKind::CondVar; ///< CondVar or Thread
  /// Kind == CondVar: the condition variable (its Kind is CondVar).
  LockRef CondVar;
  /// Kind == Thread: the thread joined, an index into the function's
  /// Spawns (which name its entry and its lock-graph node).
  int Thread = -1;
  std::string What; ///< "std::condition_variable::wait", "pthread_join"
  Frame At;
  /// A timed wait (wait_for, wait_until, pthread_cond_timedwait, ...):
  /// it cannot block forever.
  bool Timed = false;
  std::vector<HeldLock> Held;
  /// Locks the wait releases while it blocks (the condition variable's
  /// mutex).
  std::vector<LockRef> Releases;
};

/// A notify of a condition variable (notify_one/all, pthread_cond_signal,
/// cnd_broadcast, ...). Whoever waits on CondVar needs this thread to reach
/// the notify, so the locks it holds there, and those it acquires on the
/// way to it, give edges `CondVar -> L`.
struct NotifySite {
  LockRef CondVar;
  Frame At;
  std::vector<HeldLock> Held;
  /// Locks acquired earlier on some path to the notify and not held at it
  /// (At: where each was acquired).
  std::vector<HeldLock> AcquiredBefore;
};

/// Whether an access reads or writes the variable (lockgraph-race).
enum class AccessKind : uint8_t { Read, Write };

/// An access to a shared variable (lockgraph-race): a non-static data member
/// reached through `this`, a parameter or a global (a LockRef-like path whose
/// last element is the field), or a namespace-scope or static variable.
/// Constructors and destructors record none.
struct Access {
  /// The variable; its class-level name is Var.className()
  /// ("Account::balance_", "g_hits").
  LockRef Var;
  AccessKind Kind = AccessKind::Read;
  Frame At;
  /// Locks held on every path to the access (must-held).
  std::vector<HeldLock> Held;
  /// Locks of the caller this function has released at this point.
  std::vector<LockRef> Released;
  /// As CallSite::MaybeHeld.
  std::vector<LockRef> MaybeHeld;
  /// The lock class its declaration names in GUARDED_BY, if any.
  std::string DeclaredGuard;
  /// As CallSite::Sequential: before the function's threads start or after
  /// they are joined.
  bool Sequential = false;
  /// As CallSite::Running: the function's threads that may run here.
  std::vector<std::string> Running;
  /// Conditions on the function's parameters under which the access is made
  /// (as CallSite::Guards): a caller whose arguments contradict them does
  /// not reach it (libzmq's ctx_t::get(option) reads the field its switch
  /// case names).
  std::vector<ParamFact> Guards;
  /// The access is the variable's address handed to this function (USR),
  /// defined in no function of this TU: when the program defines it, its
  /// own accesses through the pointer are the accesses, and this is none
  /// (nng's `nni_reap(&pipe_reap_list, p)`, nni_reap locking its own lock).
  std::string AddressTo;
};

/// A thread started here: std::thread / std::jthread construction (also
/// through emplace_back), pthread_create, thrd_create, std::async. The race
/// check starts a thread at Entry; a join (WaitSite) names its thread here.
struct ThreadSpawn {
  /// USR of the function the thread runs (for a lambda, its call operator).
  std::string Entry;
  /// The threads' lock-graph node: "thread:worker",
  /// "thread:lambda at a.cpp:12:5".
  std::string Name;
  /// Where it starts: the thread (or future) variable it initializes,
  /// else the call or construction.
  Frame At;
  /// Inside a loop: starts any number of threads running Entry.
  bool Repeated = false;
  /// Repeated, and each thread gets an object of its own as the argument
  /// of Entry's first parameter (`&infos[i]`, to pthread_create or after a
  /// function given to std::thread): what Entry reaches through that
  /// parameter's own fields is not shared between them.
  bool PrivateArg = false;
};

/// How a function may be reached by several threads (lockgraph-race).
enum class FunctionRole : uint8_t {
  Plain,
  /// A public method of a class with a lock member: meant to be called
  /// from any thread.
  SharedMethod,
  /// A constructor or destructor: its object is not shared yet (or any more).
  CtorDtor,
  /// A function without parameters that is not a method, named as an
  /// initializer or finalizer (`nni_dialer_sys_init(void)`, `nni_fini()`,
  /// `SysInit()`): a C module's constructor and destructor. Nothing it accesses, itself or through its calls, is a
  /// race access: it runs before what it sets up is shared, or under the
  /// program's own once-only guard (nng's nni_init under its init lock,
  /// called from every API entry point).
  InitFini,
};

struct FunctionSummary {
  std::string USR;
  std::string Name;
  Frame Decl;
  /// The function's net effect on its caller's locks (a lock wrapper), in
  /// its own space (parameters, `this`): locks it returns holding, and its
  /// caller's locks it releases. Another TU's calls to it apply this effect
  /// (a second pass, see runPerTU).
  std::vector<HeldLock> ReturnsHolding;
  std::vector<LockRef> ReleasesCallers;
  /// Its caller's locks that a callback it calls may release (a call
  /// through a function-pointer field, TUAnalysisOptions::
  /// PointerCallReleases): released after a call to it, but not an unlock
  /// of an unheld lock where the caller had released them already.
  std::vector<LockRef> HandsOverCallers;
  /// With ReturnsHolding: every return returns what the lock call returned
  /// (`int my_lock(m) { return pthread_mutex_lock(&m->mutex); }`, APR's
  /// apr_thread_mutex_lock): its callers hold the locks only where its
  /// result is 0, as after the lock call itself.
  bool ReturnsLockResult = false;
  /// pthread mutexes this function makes recursive, in its own space:
  /// pthread_mutex_init with an attribute set to PTHREAD_MUTEX_RECURSIVE
  /// (libuv's uv_mutex_init_recursive(m)), or a global initialized with
  /// PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP that it locks. The link step
  /// maps them to their callers' locks: relocking those is no double lock.
  std::vector<LockRef> RecursiveInits;
  /// USRs of the methods this one overrides (for virtual calls).
  std::vector<std::string> Overrides;
  std::vector<Acquisition> Acquisitions;
  std::vector<CallSite> Calls;
  std::vector<BlockingCall> Blocking;
  std::vector<WaitSite> Waits;
  std::vector<NotifySite> Notifies;
  /// lockgraph-cond-wait-no-loop findings for a wait with no check at all
  /// around it in this function: reported by the link step unless every
  /// call of the function is in a loop (a wrapper such as leveldb's
  /// `CondVar::Wait()`, whose callers loop).
  std::vector<Finding> UncheckedWaits;
  /// Findings about this body alone (double lock, missing unlock, unlock
  /// of a lock not held).
  std::vector<Finding> Findings;
  /// lockgraph-race: shared-variable accesses (and Role, LambdaCalls).
  std::vector<Access> Accesses;
  /// Threads started here: the race check's thread entries; the threads
  /// Waits join.
  std::vector<ThreadSpawn> Spawns;
  /// Lambdas created here that no thread runs (Callee: the call operator),
  /// assumed to run here with the locks held here: lockgraph-race only.
  std::vector<CallSite> LambdaCalls;
  FunctionRole Role = FunctionRole::Plain;
};

struct TUSummary {
  std::string File; ///< the main file
  /// The build target its object file is made for (CMake's
  /// `.../CMakeFiles/<target>.dir`, Meson's `.../<target>.p`), from the
  /// compile command's output; empty when not known or when the file is
  /// compiled for several. A target's files without a `main` belong to the
  /// program of its file with one (Linker).
  std::string Target;
  /// 0, or which other variant of its file this TU is: the file compiled
  /// for another target with other macros that its own lines test or
  /// expand (mosquitto's lib/*.c in the broker, with -DWITH_BROKER). Each
  /// variant's definitions of the file are its own (Linker). Set by the
  /// analyzer's driver, not stored.
  unsigned Variant = 0;
  /// The macros the main file's own lines test (#if, #ifdef, defined) or
  /// expand: only a difference in these between two compile commands of
  /// the file makes them two variants.
  std::vector<std::string> MainFileMacros;
  std::vector<FunctionSummary> Functions;
  /// Files read by the TU (main file and headers), for cache validation.
  std::vector<std::string> Inputs;
  /// Things the analyzer could not model (reported with -v).
  std::vector<std::string> Skipped;
  /// Names of the locks of internal linkage (`static pthread_mutex_t mutex;`)
  /// the TU uses: two TUs' statics of one name are two locks, which their
  /// names must tell apart (TUAnalysisOptions::QualifiedStatics).
  std::vector<std::string> InternalLocks;
  /// Names of the globals of external linkage the TU uses: a static of
  /// another TU of one of these names is another variable (mosquitto_ctrl's
  /// `static int run` and the broker's `int run`), named by its file too.
  std::vector<std::string> ExternalGlobals;
  /// Members and globals used as locks whose type is a class of the
  /// program's own, by lock name ("Fifo::_mutex", "Poco::Mutex"): the link
  /// step makes them recursive when every constructor of that class, in
  /// any TU, makes its lock so.
  std::vector<std::pair<std::string, std::string>> LockTypes;
  /// Functions stored in function-pointer fields, and passed for
  /// function-pointer parameters: (key of the field, "field:record::field",
  /// as calls through it name it, or of the parameter, "param:USR#index";
  /// the function's USR). The link step makes each a target of the calls
  /// through the field, and through the fields the parameter flows into.
  /// A store into the field of a member of the storing method's own object
  /// (`h_.cb = f` in a method of Owner) names that member as the field's
  /// owner: "field:record::field@Owner::h_".
  std::vector<std::pair<std::string, std::string>> FieldTargets;
  /// Function-pointer parameters stored in a field or passed on to another
  /// function: (callee key it flows into, callee key of the parameter).
  /// The functions passed for the parameter are targets of the other's
  /// calls too (`uv_prepare_start(h, cb)` stores `h->prepare_cb = cb`).
  std::vector<std::pair<std::string, std::string>> TargetFlows;
  /// Parameters that functions of this TU make non-blocking
  /// (`fcntl(fd, F_SETFL, ... O_NONBLOCK)`), as "USR#index".
  std::vector<std::string> NonBlockingParams;
  /// Parameters of functions defined in other TUs that this TU passes a
  /// descriptor it reads or writes ("USR#index"): when one of them is a
  /// NonBlockingParams of its TU, this TU is analyzed again knowing it
  /// (TUAnalysisOptions::NonBlockingParams; libzmq's signaler.cpp calls
  /// unblock_socket of ip.cpp on the descriptors it writes).
  std::vector<std::string> DescriptorHandOffs;
  /// Descriptor fields ("record::field") this TU makes non-blocking, and
  /// fields whose address it passes to a parameter of a function of any TU
  /// ("USR#index" -> field): when that parameter is a NonBlockingParams
  /// entry (it stores a non-blocking descriptor through the pointer), the
  /// field is non-blocking too (libmosquitto's mosquitto.c passes
  /// &mosq->sockpairW to net__socketpair in net_mosq.c).
  std::vector<std::string> NonBlockingFields;
  std::vector<std::pair<std::string, std::string>> FieldOutParams;
  /// Descriptor fields this TU reads or writes, not known to be
  /// non-blocking here: when another TU makes one non-blocking, this TU is
  /// analyzed again knowing it (TUAnalysisOptions::NonBlockingFields;
  /// libmosquitto's packet_mosq.c writes mosq->sockpairW).
  std::vector<std::string> DescriptorFieldIo;
};

llvm::json::Value toJSON(const TUSummary &S);
llvm::Expected<TUSummary> summaryFromJSON(const llvm::json::Value &V);

/// Check names of the analyzer's own findings.
inline constexpr const char *BlockingUnderLockCheck = "lockgraph-blocking-under-lock";
inline constexpr const char *DoubleLockCheck = "lockgraph-double-lock";
inline constexpr const char *MissingUnlockCheck = "lockgraph-missing-unlock";
inline constexpr const char *UnlockUnheldCheck = "lockgraph-unlock-unheld";
inline constexpr const char *RaceCheck = "lockgraph-race";
inline constexpr const char *CondWaitNoLoopCheck = "lockgraph-cond-wait-no-loop";

} // namespace lockgraph::analyzer

#endif // LOCKGRAPH_ANALYZER_SUMMARY_H
