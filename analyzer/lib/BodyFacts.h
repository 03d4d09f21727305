//===- BodyFacts.h - What a function body does besides locking -*- C++ -*-===//
//
// Internal to the analyzer's per-TU phase. The Clang-AST recognisers that
// the lock dataflow of TUAnalysis.cpp consults, each in one place:
//  - standard library and lock types (std records, pthread/C11 typedefs);
//  - condition-variable waits and notifies, and the loops around a wait
//    (lockgraph-cond-wait-no-loop, lockgraph-wait-holding-lock);
//  - thread starts and joins (std::thread/jthread, emplace_back into a
//    container of them, pthread_create, thrd_create, std::async; join,
//    pthread_join, thrd_join, future get/wait): the race check uses them for
//    its thread entries and the span its threads run in, the wait check to
//    name the thread a join waits for;
//  - shared-variable accesses and the function's role (lockgraph-race).
// TUAnalysis.cpp records the facts, with the locks held, when its recording
// pass reaches them; the link step (Linker.cpp, Races.cpp) uses no Clang.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYZER_LIB_BODYFACTS_H
#define LOCKGRAPH_ANALYZER_LIB_BODYFACTS_H

#include "lockgraph/analyzer/Summary.h"

#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class CXXRecordDecl;
class FunctionDecl;
class LambdaExpr;
class ParentMap;
class SourceManager;
class VarDecl;
} // namespace clang

namespace lockgraph::analyzer {

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

/// The record (class) a type names, through references, pointers, arrays.
const clang::CXXRecordDecl *recordOf(clang::QualType T);

/// \p RD is `std::N` for one of \p Names.
bool isStdRecord(const clang::CXXRecordDecl *RD, std::initializer_list<llvm::StringRef> Names);

/// The kind of lock a type (through references and pointers) is: the std
/// mutexes, and the pthread and C11 lock typedefs (by the typedef name as
/// written: they are typedefs of anonymous unions). Unknown for anything
/// else, including capability-annotated classes.
LockKind lockKindOf(clang::QualType T);

/// A C-like struct whose one member is a lock (nng's
/// `struct nni_plat_mtx { pthread_mutex_t mtx; }`): the struct is the lock,
/// named by where it is (`msgq::mq_lock`), not by its member, which every
/// such lock shares (`nni_plat_mtx::mtx`).
bool isLockWrapperStruct(const clang::RecordDecl *RD);

/// A class whose lock() and unlock() do nothing, defined in view (spdlog's
/// and Boost's null_mutex, for single-threaded use of code written for
/// locks): a guard over one holds no lock.
bool isNullLock(const clang::CXXRecordDecl *RD);

//===----------------------------------------------------------------------===//
// Condition variables
//===----------------------------------------------------------------------===//

/// A condition-variable API call, recognised by the callee.
enum class CondOp { None, Wait, Notify };

struct CondCall {
  CondOp Op = CondOp::None;
  /// Qualified name for messages: "std::condition_variable::wait",
  /// "pthread_cond_wait".
  std::string What;
  /// The condition variable (the object of a member call, else argument 0).
  const clang::Expr *CondVar = nullptr;
  /// Wait only: the lock or mutex the wait releases.
  const clang::Expr *Mutex = nullptr;
  /// Wait only: wait_for, wait_until, pthread_cond_timedwait, cnd_timedwait.
  bool Timed = false;
  /// Wait only: the overload that loops on a predicate itself.
  bool HasPredicate = false;
};

/// Classifies \p CE (with its implicit object \p Object, if a member call)
/// as a std::condition_variable(_any), pthread or C11 condition-variable
/// wait or notify; Op is None for anything else.
CondCall classifyCondCall(const clang::CallExpr *CE, const clang::Expr *Object);

/// Where a wait stands with respect to the loops around it.
struct LoopVerdict {
  /// The wait is in a loop that runs the checks before it again after it
  /// returns: a loop with a real condition, or an endless loop in which
  /// the wait is not under an `if` of its own, or is but nothing else runs
  /// between the wait and the next iteration (the `if` chain re-checks).
  bool ReChecked = false;
  /// When not re-checked: the `if` whose one check the wait trusts, if any.
  const clang::IfStmt *CheckedOnce = nullptr;
};

/// Walks from \p Wait up \p PM (a ParentMap of one function body: loops
/// outside the function, e.g. around a lambda, do not count).
LoopVerdict waitLoop(const clang::ParentMap &PM, const clang::Stmt *Wait,
                     clang::ASTContext &Ctx);

/// The variable or function \p E names, through `&` and casts (`&g_mu`,
/// `(void *(*)(void *))worker`), or null.
const clang::ValueDecl *declNamedBy(const clang::Expr *E);

/// Whether a parameter of type \p T holds a callback the function may call:
/// a function pointer, or a std::function (by value or reference).
bool isCallbackType(clang::QualType T);

/// An argument for a callback parameter without the conversion to
/// std::function around it (its converting constructor and temporary, a
/// std::move): a lambda, or what declNamedBy reads.
const clang::Expr *callbackArgument(const clang::Expr *A);

//===----------------------------------------------------------------------===//
// Threads
//===----------------------------------------------------------------------===//

/// A thread started in a function body: std::thread / std::jthread
/// construction (not a copy or move), emplace(_back/_front) into a std
/// container of them, pthread_create, thrd_create, std::async.
struct ThreadStart {
  /// The function the thread runs (for a lambda or functor, its call
  /// operator), from the callable passed to the start: a function or a
  /// pointer to one (cast or not), &Class::method, a lambda or a variable
  /// holding one, a functor, std::bind / std::bind_front of any of these.
  /// Null when it cannot be named.
  const clang::FunctionDecl *Entry = nullptr;
  /// The variable naming the thread: the local std::thread / jthread, or
  /// std::future / shared_future, the start initializes; the pthread_t or
  /// thrd_t pthread_create / thrd_create fill in. Null otherwise (a
  /// temporary, a container element).
  const clang::VarDecl *Handle = nullptr;
  /// The variable or field of the handle or of the array it is an element
  /// of (`tids` for `&tids[i]`), which joins name too; null when unknown.
  const clang::ValueDecl *Family = nullptr;
  /// The handle's declaration when the start initializes it, else the start.
  clang::SourceLocation At;
  /// Inside a loop of the function: starts any number of threads.
  bool InLoop = false;
  /// The argument pthread_create / thrd_create pass the thread, or the first
  /// one std::thread passes a function (not a method) it runs; else null.
  const clang::Expr *Arg = nullptr;
  /// In a loop, each thread gets an object of its own as its argument: an
  /// element of an array indexed by the loop's variable (`&infos[i]`,
  /// `infos + i`), or one the loop's body allocates (`p = malloc(...)`).
  bool PrivateArg = false;
};

/// A wait for a thread to finish.
struct ThreadJoin {
  /// The variable naming the thread (or future) waited for, if any.
  const clang::VarDecl *Handle = nullptr;
  /// As ThreadStart::Family.
  const clang::ValueDecl *Family = nullptr;
  /// future::wait_for / wait_until: may return with the thread running.
  bool Timed = false;
};

/// Recognises \p CE (with its implicit object \p Object, if a member call)
/// as std::thread / jthread::join, pthread_join, thrd_join, or a get / wait
/// / wait_for / wait_until of a std::future / shared_future.
std::optional<ThreadJoin> threadJoinOf(const clang::CallExpr *CE, const clang::Expr *Object);

//===----------------------------------------------------------------------===//
// The facts of one body
//===----------------------------------------------------------------------===//

/// One access expression (a MemberExpr naming a field or static member, or a
/// DeclRefExpr naming a global or static variable).
struct AccessFact {
  AccessKind Kind = AccessKind::Read;
  /// The GUARDED_BY argument of the variable's declaration, if any (an
  /// expression in the variable's class or namespace scope).
  const clang::Expr *Guard = nullptr;
  /// The access is `&x` handed to this function, which has no body in the
  /// TU (Access::AddressTo).
  const clang::FunctionDecl *AddressTo = nullptr;
};

struct BodyFacts {
  /// lockgraph-race: the accesses to variables that can race.
  llvm::DenseMap<const clang::Stmt *, AccessFact> Accesses;
  /// The threads started, in source order.
  std::vector<ThreadStart> Starts;
  /// Lambdas created here that no thread runs: assumed to run here, with
  /// the locks held where they are created (a wait predicate, an
  /// algorithm's callback), unless a call reaches them (Races.cpp).
  llvm::SmallPtrSet<const clang::LambdaExpr *, 4> InlineLambdas;
  /// The locks the function requires its callers to hold
  /// (REQUIRES / EXCLUSIVE_LOCKS_REQUIRED): held at every access.
  std::vector<const clang::Expr *> Required;
  FunctionRole Role = FunctionRole::Plain;
  /// Where each thread of Starts may run, by source order: from its start
  /// (or the loop around it, when a later iteration may still find it
  /// running) to the last untimed join of its handle after that (of any
  /// thread, when it has no handle or none is joined); End is invalid when
  /// nothing joins it.
  struct Lifetime {
    clang::SourceLocation Begin, End;
  };
  std::vector<Lifetime> Lifetimes;
  /// The body tests for EAGAIN or EWOULDBLOCK: its reads and writes are on
  /// descriptors it expects to be non-blocking (libuv's uv__async_send
  /// writes to an EFD_NONBLOCK eventfd), so they do not wait.
  bool NonBlockingIo = false;
  /// The loops of the body that no other loop of it holds.
  std::vector<clang::SourceRange> OuterLoops;

  /// The function starts threads and \p L lies outside all their lifetimes.
  bool sequential(const clang::SourceManager &SM, clang::SourceLocation L) const;
  /// The outermost loop of the body around \p L, if any.
  clang::SourceRange outerLoopAt(const clang::SourceManager &SM,
                                 clang::SourceLocation L) const;
  /// The indices in Starts of the threads whose lifetime holds \p L.
  std::vector<size_t> runningAt(const clang::SourceManager &SM,
                                clang::SourceLocation L) const;

  /// The index in Starts of the one start whose Handle is \p VD (a
  /// variable started twice names no one thread), or -1.
  int startOf(const clang::VarDecl *VD) const;
};

/// Collects the facts of \p FD's body (lambda bodies excluded: they are
/// functions of their own). Constructors and destructors get no accesses
/// (their object is not shared), but their thread starts.
BodyFacts collectBodyFacts(const clang::FunctionDecl *FD, clang::ASTContext &Ctx);

//===----------------------------------------------------------------------===//
// Non-blocking descriptors of a translation unit
//===----------------------------------------------------------------------===//

/// Which descriptors a translation unit makes non-blocking, so that a read,
/// write, connect, ... on them is not a blocking call: nng's epoll poller
/// writes its eventfd under the pollq lock, its IPC dialer connects a
/// socket it just made O_NONBLOCK, and its self-pipe helpers write and read
/// the descriptors nni_plat_pipe_open made O_NONBLOCK.
struct DescriptorFacts {
  /// Variables, parameters and fields made non-blocking anywhere in the TU:
  /// `fcntl(d, F_SETFL, ... O_NONBLOCK)`, `ioctl(d, FIONBIO, ...)`,
  /// `d = eventfd(0, EFD_NONBLOCK)` (also socket, accept4, signalfd,
  /// timerfd), `pipe2(d, O_NONBLOCK)`, and a field assigned such a
  /// variable in the same function (`pq->evfd = fd`). Flow-insensitive
  /// within a function: a descriptor made non-blocking after its I/O there
  /// counts too.
  llvm::DenseSet<const clang::ValueDecl *> NonBlocking;
  /// Some function here creates a pipe, eventfd or socketpair and makes
  /// descriptors non-blocking: a self-pipe module, whose functions' I/O on
  /// a descriptor parameter is on those descriptors (they are handed out
  /// through out-parameters and come back as arguments).
  bool SelfPipeModule = false;

  /// Parameters of this TU's functions made non-blocking (and so a
  /// descriptor passed for one), by function and index.
  std::vector<std::pair<const clang::FunctionDecl *, unsigned>> SetterParams;
  /// Parameters of functions not defined here that get a descriptor this TU
  /// reads or writes, not known to be non-blocking.
  std::vector<std::pair<const clang::FunctionDecl *, unsigned>> HandOffs;
  /// Fields whose address is passed to parameter I of a function F (of any
  /// TU), which may store a descriptor there (TUSummary::FieldOutParams).
  std::vector<std::tuple<const clang::FunctionDecl *, unsigned, const clang::FieldDecl *>>
      FieldOutParams;
  /// Fields read or written as descriptors here, not known to be
  /// non-blocking (TUSummary::DescriptorFieldIo).
  std::vector<const clang::FieldDecl *> FieldIo;

  /// \p Fd, the descriptor argument of a read, write, connect, ..., is
  /// known not to block.
  bool nonBlocking(const clang::Expr *Fd) const;
};

/// Read, write, send, recv, accept, connect, ...: the calls on a
/// descriptor (their first argument) that wait only if it is blocking.
bool isDescriptorIo(llvm::StringRef Name);

/// \p ExternalSetter(F, I): parameter I of F, a function of another TU,
/// is made non-blocking there (TUAnalysisOptions::NonBlockingParams).
/// \p ExternalField(F): other TUs make descriptor field F non-blocking
/// (TUAnalysisOptions::NonBlockingFields).
DescriptorFacts collectDescriptorFacts(
    clang::ASTContext &Ctx,
    llvm::function_ref<bool(const clang::FunctionDecl *, unsigned)> ExternalSetter,
    llvm::function_ref<bool(const clang::FieldDecl *)> ExternalField);

} // namespace lockgraph::analyzer

#endif // LOCKGRAPH_ANALYZER_LIB_BODYFACTS_H
