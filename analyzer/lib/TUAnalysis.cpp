//===- TUAnalysis.cpp - Held-lockset dataflow over the Clang CFG ----------===//
//
// The per-TU phase, with BodyFacts.cpp (what a body does besides locking:
// condition-variable calls, thread starts and joins, shared accesses).
//
// For each function: a forward dataflow over its CFG of the held lockset
// (may-held entries, each with a must-held flag: union at joins, "must" is the
// intersection). Scoped guards (lock_guard, unique_lock, scoped_lock,
// shared_lock, scoped_lockable classes) own their entries and release them
// at their implicit destructor, so early returns release. Try-locks are held
// only on the success branch of the condition that tests them. After the
// fixpoint, one more pass over each block with its final in-state records the
// function summary (so events are recorded once, with the final lockset).
//
//===----------------------------------------------------------------------===//
#include "lockgraph/analyzer/TUAnalysis.h"
#include "BodyFacts.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"

#include <functional>
#include <map>
#include <sys/file.h>
#include <unistd.h>

using namespace clang;
using namespace llvm;

namespace lockgraph::analyzer {

std::set<std::string> defaultBlockingFunctions() {
  return {
      // POSIX file and socket I/O.
      "read", "write", "pread", "pwrite", "readv", "writev", "recv", "recvfrom",
      "recvmsg", "send", "sendto", "sendmsg", "accept", "accept4", "connect",
      "poll", "ppoll", "select", "pselect", "epoll_wait", "epoll_pwait", "fsync",
      "fdatasync", "sync", "syncfs", "open", "openat", "fopen", "fgets", "fread",
      "getline", "getchar", "fgetc", "getc", "flock", "lockf", "msgrcv", "msgsnd",
      // Sleeps, waits, joins.
      "sleep", "usleep", "nanosleep", "clock_nanosleep", "pause", "wait",
      "waitpid", "waitid", "system", "pthread_join", "sem_wait", "sem_timedwait",
      "sem_clockwait", "pthread_cond_wait", "pthread_cond_timedwait",
      "pthread_cond_clockwait", "pthread_barrier_wait", "cnd_wait",
      "cnd_timedwait", "thrd_join", "thrd_sleep",
      // C++ standard library.
      "std::this_thread::sleep_for", "std::this_thread::sleep_until",
      "std::thread::join", "std::jthread::join", "std::future::get",
      "std::future::wait", "std::future::wait_for", "std::future::wait_until",
      "std::shared_future::get", "std::shared_future::wait",
      "std::condition_variable::wait", "std::condition_variable::wait_for",
      "std::condition_variable::wait_until", "std::condition_variable_any::wait",
      "std::condition_variable_any::wait_for",
      "std::condition_variable_any::wait_until", "std::counting_semaphore::acquire",
      "std::binary_semaphore::acquire", "std::latch::wait",
      "std::latch::arrive_and_wait", "std::barrier::arrive_and_wait",
      "std::getline",
  };
}

namespace {

//===----------------------------------------------------------------------===//
// Names
//===----------------------------------------------------------------------===//

/// "ns::Class::method" without template arguments, inline or anonymous
/// namespaces; lambdas are "enclosing::lambda".
/// A record's name; for `typedef struct { ... } T;` the typedef's.
static std::string recordName(const RecordDecl *RD) {
  if (RD->getIdentifier())
    return RD->getNameAsString();
  if (const TypedefNameDecl *TD = RD->getTypedefNameForAnonDecl())
    return TD->getNameAsString();
  return {};
}

std::string plainName(const NamedDecl *ND) {
  SmallVector<std::string, 4> Parts;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(ND); MD && MD->getParent()->isLambda())
    Parts.push_back("lambda");
  else if (const auto *RD = dyn_cast<RecordDecl>(ND))
    Parts.push_back(recordName(RD));
  else
    Parts.push_back(ND->getNameAsString());
  const DeclContext *DC = ND->getDeclContext();
  if (const auto *MD = dyn_cast<CXXMethodDecl>(ND); MD && MD->getParent()->isLambda())
    DC = MD->getParent()->getDeclContext();
  for (; DC && !DC->isTranslationUnit(); DC = DC->getParent()) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC)) {
      if (NS->isInline() || NS->isAnonymousNamespace())
        continue;
      Parts.push_back(NS->getNameAsString());
    } else if (const auto *RD = dyn_cast<RecordDecl>(DC)) {
      if (const auto *CRD = dyn_cast<CXXRecordDecl>(RD); CRD && CRD->isLambda())
        Parts.push_back("lambda");
      else if (std::string Name = recordName(RD); !Name.empty())
        Parts.push_back(std::move(Name));
    } else if (const auto *FD = dyn_cast<FunctionDecl>(DC)) {
      Parts.push_back(FD->getNameAsString());
    }
  }
  std::string Out;
  for (auto It = Parts.rbegin(); It != Parts.rend(); ++It) {
    if (!Out.empty())
      Out += "::";
    Out += *It;
  }
  return Out;
}

std::string usrOf(const Decl *D) {
  SmallString<128> Buf;
  if (index::generateUSRForDecl(D, Buf))
    return {};
  return std::string(Buf);
}

/// The display name of a function-pointer field, "record::field" (a typedef
/// names an anonymous struct); empty when the record has no name.
std::string fieldName(const FieldDecl *F) {
  const RecordDecl *RD = F->getParent();
  std::string Record;
  if (RD->getIdentifier())
    Record = plainName(RD);
  else if (const TypedefNameDecl *TD = RD->getTypedefNameForAnonDecl())
    Record = TD->getName().str();
  if (Record.empty() || !F->getIdentifier())
    return {};
  return Record + "::" + F->getName().str();
}

/// The callee key of calls through the function-pointer field \p F: every
/// function stored in such a field (TUSummary::FieldTargets) is a target.
std::string fieldCalleeKey(const FieldDecl *F) {
  std::string Name = fieldName(F);
  return Name.empty() ? std::string() : "field:" + Name;
}

/// The key of the function-pointer parameter \p P: the functions passed for
/// it flow where the parameter is stored (TUSummary::TargetFlows). Empty
/// when \p P is not a function pointer of a named function.
std::string paramCalleeKey(const ParmVarDecl *P) {
  const auto *FD = dyn_cast<FunctionDecl>(P->getDeclContext());
  if (!FD || !isCallbackType(P->getType()))
    return {};
  std::string USR = usrOf(FD->getCanonicalDecl());
  return USR.empty() ? std::string()
                     : "param:" + USR + "#" + std::to_string(P->getFunctionScopeIndex());
}

/// The callee key of calls through the function-pointer variable (or array
/// of them) \p V, global, static or local: every function stored in it is
/// a target. Empty for any other variable (and for parameters, which
/// CallSite::FnArgs follows per call site).
std::string varCalleeKey(const VarDecl *V) {
  if (!V || isa<ParmVarDecl>(V) || !(V->hasGlobalStorage() || V->isLocalVarDecl()))
    return {};
  QualType T = V->getType();
  if (const ArrayType *AT = T->getAsArrayTypeUnsafe())
    T = AT->getElementType();
  if (!T->isFunctionPointerType())
    return {};
  std::string USR = usrOf(V->getCanonicalDecl());
  return USR.empty() ? std::string() : "var:" + USR;
}

/// Whether \p F is a std container of callbacks
/// (`std::vector<std::function<void()>> callbacks_`).
bool isCallbackContainer(const FieldDecl *F) {
  const auto *CT = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      F->getType().getNonReferenceType()->getAsCXXRecordDecl());
  if (!CT || !CT->isInStdNamespace() || CT->getTemplateArgs().size() == 0)
    return false;
  const TemplateArgument &Arg = CT->getTemplateArgs()[0];
  return Arg.getKind() == TemplateArgument::Type && isCallbackType(Arg.getAsType());
}

/// The callback-container field \p E names (`callbacks_`, `this->callbacks_`).
const FieldDecl *callbackContainer(const Expr *E) {
  const auto *ME = dyn_cast<MemberExpr>(E->IgnoreParenImpCasts());
  const auto *F = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
  return F && isCallbackContainer(F) ? F : nullptr;
}

/// The function pointer a call goes through, without parentheses, casts
/// and an explicit `*` (`(*cb)(x)`).
const Expr *calledPointer(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_Deref)
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  return E;
}

/// The global function-pointer variable \p E reads, itself or an element
/// of it (`callbacks[i]`, `*handler`), or null.
const VarDecl *functionPointerVar(const Expr *E) {
  if (!E)
    return nullptr;
  E = calledPointer(E);
  if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
    E = AS->getBase()->IgnoreParenImpCasts();
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return V && !varCalleeKey(V).empty() ? V : nullptr;
}

const FieldDecl *functionPointerField(const Expr *E) {
  if (!E)
    return nullptr;
  const auto *ME = dyn_cast<MemberExpr>(calledPointer(E));
  const auto *F = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
  if (!F)
    return nullptr;
  QualType T = F->getType();
  return T->isFunctionPointerType() || T->isMemberFunctionPointerType() ? F : nullptr;
}

//===----------------------------------------------------------------------===//
// Dataflow state
//===----------------------------------------------------------------------===//

struct Entry {
  LockRef Lock;
  std::string Key;
  Frame At;
  AcquireMode Mode = AcquireMode::Exclusive;
  const VarDecl *Guard = nullptr;
  bool Must = true;
  bool Try = false;
  /// Acquisitions not yet released (a double lock makes it 2); bounded.
  unsigned Count = 1;
  /// Not acquired by this function: adopted (adopt_lock) or the caller's
  /// lock retaken after this function released it. Such an entry is not a
  /// missing unlock and not part of the function's net effect.
  bool NotOurs = false;
  /// For an entry held on some paths only: it is held exactly when the
  /// branch condition Key (see conditionKey) has the value Held, for each
  /// Key -> Held here (every condition that tells its paths apart), as when
  /// a function releases a lock under `if (!C)` and again later under
  /// `if (C)`. A later branch on any of them decides it. Empty: not known.
  std::map<std::string, bool> Conds;

  bool sameAs(const Entry &O) const {
    return Key == O.Key && Guard == O.Guard && Must == O.Must && Try == O.Try &&
           Mode == O.Mode && Count == O.Count && NotOurs == O.NotOurs &&
           Conds == O.Conds;
  }
};

struct GuardInfo {
  std::vector<LockRef> Locks;
  AcquireMode Mode = AcquireMode::Exclusive;
  std::string Kind; ///< "lock_guard", "unique_lock", ...
  bool operator==(const GuardInfo &O) const {
    if (Locks.size() != O.Locks.size() || Mode != O.Mode)
      return false;
    for (size_t I = 0; I < Locks.size(); ++I)
      if (!(Locks[I] == O.Locks[I]))
        return false;
    return true;
  }
};

struct State {
  bool Reached = false;
  std::vector<Entry> Held;
  std::map<const VarDecl *, GuardInfo> Guards;
  /// Objects whose destructor takes these locks again (Effect::RelocksAtEnd).
  std::map<const VarDecl *, std::vector<std::pair<LockRef, AcquireMode>>> Relocks;
  /// Locks acquired earlier on some path to here (so releasing one that is
  /// not held is a double unlock, not a function releasing its caller's).
  std::set<std::string> Acquired;
  /// Locks this function released without having acquired them (its
  /// caller's), on some path to here.
  std::map<std::string, LockRef> CallerReleased;
  /// Guard-owned locks unlocked by hand while the guard lives: key -> guard
  /// and where. Relocking gives the lock back to the guard; if the guard
  /// dies first, it unlocks an unheld lock.
  std::map<std::string, std::pair<const VarDecl *, SourceLocation>> GuardReleased;
  /// Branch conditions with the same value on every path to here (keyed by
  /// conditionKey), until the function assigns to them or lets the address
  /// of a local escape. A call in between is assumed not to change them
  /// otherwise: flags such as `if (Mod->NeedsLock)` tested twice around a
  /// callback.
  std::map<std::string, bool> Facts;
  /// Locks this function released while holding them, on some path to here.
  std::set<std::string> ReleasedHeld;
  /// Locks whose blocking acquisition failed on the paths here (the error
  /// branch of `if (pthread_mutex_lock(&M) != 0)`): not held for anything
  /// done on them, but where they join the paths on which it succeeded the
  /// lock counts as held, as error paths usually end the process (pbzip2's
  /// safe_mutex_lock() is a lock function).
  std::map<std::string, Entry> Failed;
  /// What holds fork()'s result on every path here (conditionKey): the
  /// branch where it is 0 runs in the child process, alone, usually to exec
  /// or _exit, and is not analyzed (libuv's spawn: the child opens files
  /// under the loop lock its parent held at fork).
  std::string ForkResult;
  /// Locks a guard holds only under a condition the analysis does not
  /// follow (`scoped_optional_lock_t g (thread_safe ? &mu : NULL)`), by
  /// guard: CallSite::MaybeHeld, for lockgraph-race only.
  std::vector<std::pair<const VarDecl *, LockRef>> MaybeHeld;
  /// Locks a call may have released (a callback handing them over, see
  /// release()), on some path to here: no longer held, and unlocking them
  /// again is no unlock of an unheld lock.
  std::set<std::string> HandedOver;
  /// Guards over a null lock (spdlog's null_mutex, in the single-threaded
  /// instantiations of a sink template whose others take a std::mutex)
  /// alive on every path here: the code is single-threaded by the
  /// programmer's choice, so its accesses, and its callees', are no races
  /// (CallSite::SingleThreaded).
  std::set<const VarDecl *> NullGuards;

  bool operator==(const State &O) const {
    if (Reached != O.Reached || Held.size() != O.Held.size() || Guards != O.Guards ||
        Relocks.size() != O.Relocks.size() ||
        MaybeHeld != O.MaybeHeld ||
        Acquired != O.Acquired || CallerReleased.size() != O.CallerReleased.size() ||
        GuardReleased.size() != O.GuardReleased.size() || Facts != O.Facts ||
        ReleasedHeld != O.ReleasedHeld || Failed.size() != O.Failed.size() ||
        ForkResult != O.ForkResult || HandedOver != O.HandedOver ||
        NullGuards != O.NullGuards)
      return false;
    for (size_t I = 0; I < Held.size(); ++I)
      if (!Held[I].sameAs(O.Held[I]))
        return false;
    return true;
  }

  Entry *find(const std::string &Key, const VarDecl *Guard) {
    for (Entry &E : Held)
      if (E.Key == Key && E.Guard == Guard)
        return &E;
    return nullptr;
  }
};

/// Whether the condition \p Key has the value \p Value on every path that
/// \p S stands for.
static bool factIs(const State &S, const std::string &Key, bool Value) {
  auto It = S.Facts.find(Key);
  return It != S.Facts.end() && It->second == Value;
}

/// The conditions that tell the paths of \p Mine (where \p E is held on
/// every path, or as its own conditions say) from those of \p Other (where
/// it is not held): the entry is held exactly when such a condition has the
/// value it has in \p Mine. All of them are kept, since which one a later
/// branch tests is not known yet (`if (delta < 0) goto error;` before the
/// lock, `locked = true` after it, `if (locked)` at the error label).
static std::map<std::string, bool> heldConditions(const Entry &E, const State &Mine,
                                                  const State &Other) {
  std::map<std::string, bool> Conds;
  // A try-acquisition too, by the tests of its result (a lookup that
  // returns its object locked, tested `if (z)`, released under another test
  // and tested again to leave a loop: unbound's rpz.c).
  if (!E.Must && E.Conds.empty())
    return Conds;
  for (const auto &[Key, Value] : E.Must ? Mine.Facts : E.Conds)
    if (factIs(Other, Key, !Value))
      Conds.emplace(Key, Value);
  return Conds;
}

State join(const State &A, const State &B) {
  if (!A.Reached)
    return B;
  if (!B.Reached)
    return A;
  State Out;
  Out.Reached = true;
  auto failedIn = [](const State &S, const Entry &E) -> const Entry * {
    auto It = S.Failed.find(E.Key);
    return It != S.Failed.end() && !E.Guard ? &It->second : nullptr;
  };
  for (const Entry &E : A.Held) {
    Entry N = E;
    const Entry *In = nullptr;
    for (const Entry &F : B.Held)
      if (F.Key == E.Key && F.Guard == E.Guard)
        In = &F;
    if (!In)
      In = failedIn(B, E);
    N.Must = E.Must && In && In->Must;
    N.Try = E.Try || (In && In->Try);
    if (In)
      N.Count = std::max(E.Count, In->Count);
    N.Conds.clear();
    if (!N.Must && !In) {
      N.Conds = heldConditions(E, A, B);
    } else if (!N.Must && In) {
      // Held on both sides, on one only under conditions: still decided by
      // those the other side's paths all agree with.
      const Entry &Conditional = E.Must ? *In : E;
      const State &Unconditional = E.Must ? A : B;
      if (E.Must || In->Must) {
        for (const auto &[Key, Held] : Conditional.Conds)
          if (factIs(Unconditional, Key, Held))
            N.Conds.emplace(Key, Held);
      } else {
        for (const auto &[Key, Held] : E.Conds)
          if (auto It = In->Conds.find(Key); It != In->Conds.end() && It->second == Held)
            N.Conds.emplace(Key, Held);
      }
    }
    Out.Held.push_back(std::move(N));
  }
  for (const Entry &F : B.Held) {
    bool InA = false;
    for (const Entry &E : A.Held)
      InA |= F.Key == E.Key && F.Guard == E.Guard;
    if (!InA && failedIn(A, F)) {
      Entry N = F;
      N.Must = F.Must && failedIn(A, F)->Must;
      Out.Held.push_back(std::move(N));
    } else if (!InA) {
      Entry N = F;
      N.Must = false;
      N.Conds = heldConditions(F, B, A);
      Out.Held.push_back(std::move(N));
    }
  }
  for (const auto &[Key, Value] : A.Facts)
    if (factIs(B, Key, Value))
      Out.Facts.emplace(Key, Value);
  for (const auto &M : A.MaybeHeld)
    if (llvm::is_contained(B.MaybeHeld, M))
      Out.MaybeHeld.push_back(M);
  for (const VarDecl *G : A.NullGuards)
    if (B.NullGuards.count(G))
      Out.NullGuards.insert(G);
  Out.ReleasedHeld = A.ReleasedHeld;
  Out.ReleasedHeld.insert(B.ReleasedHeld.begin(), B.ReleasedHeld.end());
  Out.HandedOver = A.HandedOver;
  Out.HandedOver.insert(B.HandedOver.begin(), B.HandedOver.end());
  Out.Guards = A.Guards;
  for (const auto &[VD, G] : B.Guards)
    Out.Guards.emplace(VD, G);
  Out.Relocks = A.Relocks;
  for (const auto &[VD, L] : B.Relocks)
    Out.Relocks.emplace(VD, L);
  Out.Acquired = A.Acquired;
  Out.Acquired.insert(B.Acquired.begin(), B.Acquired.end());
  Out.CallerReleased = A.CallerReleased;
  for (const auto &[K, L] : B.CallerReleased)
    Out.CallerReleased.emplace(K, L);
  Out.GuardReleased = A.GuardReleased;
  Out.GuardReleased.insert(B.GuardReleased.begin(), B.GuardReleased.end());
  if (A.ForkResult == B.ForkResult)
    Out.ForkResult = A.ForkResult;
  for (const State *S : {&A, &B})
    for (const auto &[Key, E] : S->Failed)
      if (!Out.find(Key, nullptr))
        Out.Failed.emplace(Key, E);
  return Out;
}

/// Whether \p VD is a pthread mutex initialized as recursive
/// (`= PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP`).
static bool initializedRecursive(const VarDecl *VD, const SourceManager &SM,
                                 const LangOptions &LO) {
  const Expr *Init = VD->getInit();
  if (!Init || !Init->getBeginLoc().isMacroID())
    return false;
  for (SourceLocation L = Init->getBeginLoc(); L.isMacroID();
       L = SM.getImmediateMacroCallerLoc(L))
    if (Lexer::getImmediateMacroName(L, SM, LO) == "PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP")
      return true;
  return false;
}

/// The variable or member \p E names, through `&` (`&attr`, `&_attr`).
static const ValueDecl *objectNamed(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return dyn_cast<VarDecl>(DRE->getDecl()->getCanonicalDecl());
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return dyn_cast<FieldDecl>(ME->getMemberDecl()->getCanonicalDecl());
  return nullptr;
}

/// The attribute objects \p Body sets to PTHREAD_MUTEX_RECURSIVE
/// (`pthread_mutexattr_settype(&Attr, PTHREAD_MUTEX_RECURSIVE)`), on any
/// path: variables, or members of the class whose constructor \p Body is.
static void collectRecursiveAttrs(const Stmt *Body, ASTContext &Ctx,
                                  std::set<const ValueDecl *> &Out) {
  if (!Body)
    return;
  if (const auto *CE = dyn_cast<CallExpr>(Body)) {
    const FunctionDecl *Callee = CE->getDirectCallee();
    Expr::EvalResult Kind;
    if (Callee && Callee->getIdentifier() && Callee->getName() == "pthread_mutexattr_settype" &&
        CE->getNumArgs() == 2 && CE->getArg(1)->EvaluateAsInt(Kind, Ctx) &&
        Kind.Val.getInt() == 1 /* PTHREAD_MUTEX_RECURSIVE */)
      if (const ValueDecl *Attr = objectNamed(CE->getArg(0)))
        Out.insert(Attr);
  }
  for (const Stmt *Child : Body->children())
    collectRecursiveAttrs(Child, Ctx, Out);
}

/// Whether the constructors of \p Field's class make it a recursive mutex
/// (zmq::mutex_t: `pthread_mutexattr_settype(&_attr, PTHREAD_MUTEX_RECURSIVE);
/// pthread_mutex_init(&_mutex, &_attr)`), so that a wrapper's lock is
/// recursive wherever the wrapper is.
static bool madeRecursiveByConstructors(const FieldDecl *Field, ASTContext &Ctx) {
  const auto *RD = dyn_cast<CXXRecordDecl>(Field->getParent());
  if (!RD || !RD->hasDefinition())
    return false;
  bool Found = false;
  std::function<void(const Stmt *, const std::set<const ValueDecl *> &)> Inits =
      [&](const Stmt *St, const std::set<const ValueDecl *> &Attrs) {
        if (!St || Found)
          return;
        if (const auto *CE = dyn_cast<CallExpr>(St)) {
          const FunctionDecl *Callee = CE->getDirectCallee();
          if (Callee && Callee->getIdentifier() && Callee->getName() == "pthread_mutex_init" &&
              CE->getNumArgs() == 2 && objectNamed(CE->getArg(0)) == Field->getCanonicalDecl())
            if (const ValueDecl *Attr = objectNamed(CE->getArg(1)); Attr && Attrs.count(Attr))
              Found = true;
        }
        for (const Stmt *Child : St->children())
          Inits(Child, Attrs);
      };
  for (const CXXConstructorDecl *Ctor : RD->getDefinition()->ctors()) {
    const FunctionDecl *Def = nullptr;
    if (!Ctor->hasBody(Def) || !Def->getBody())
      continue;
    std::set<const ValueDecl *> Attrs;
    collectRecursiveAttrs(Def->getBody(), Ctx, Attrs);
    if (!Attrs.empty())
      Inits(Def->getBody(), Attrs);
  }
  return Found;
}

/// The condition key of a variable: its name, for reading, and its
/// declaration, which tells two variables of one name apart.
static std::string varConditionKey(const VarDecl *VD) {
  return VD->getNameAsString() + "#" +
         std::to_string(reinterpret_cast<uintptr_t>(VD->getCanonicalDecl()));
}

/// A key for a branch condition that names a variable or a chain of members
/// (`Flag`, `Mod->NeedsLock`, `this->Opts.Fast`), which a function can test
/// twice and get the same value; empty for anything else (calls, indexing,
/// arithmetic).
/// The value of a literal comparand: an integer literal, a negated one
/// (memcached's `fd == -42`), or an enumerator.
static std::optional<int64_t> literalValue(const Expr *E) {
  E = E->IgnoreParenCasts();
  if (const auto *Lit = dyn_cast<IntegerLiteral>(E))
    return int64_t(Lit->getValue().getLimitedValue());
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_Minus)
    if (const auto *Lit = dyn_cast<IntegerLiteral>(UO->getSubExpr()->IgnoreParenCasts()))
      return -int64_t(Lit->getValue().getLimitedValue());
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    if (const auto *Enumerator = dyn_cast<EnumConstantDecl>(Ref->getDecl()))
      return Enumerator->getInitVal().getSExtValue();
  return std::nullopt;
}

static std::string conditionKey(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (isa<AbstractConditionalOperator>(E))
    return "?:" + std::to_string(reinterpret_cast<uintptr_t>(E));
  // `N > 0`, `Mod->Count <= Limit`: a comparison of a keyed operand with
  // an integer literal. (Comparisons with zero or null are folded into the
  // test by branchTest.)
  if (const auto *BO = dyn_cast<BinaryOperator>(E); BO && BO->isComparisonOp()) {
    const std::optional<int64_t> Value = literalValue(BO->getRHS());
    std::string Operand = conditionKey(BO->getLHS());
    if (!Value || Operand.empty())
      return {};
    return Operand + " " + BO->getOpcodeStr().str() + " " + std::to_string(*Value);
  }
  // `ps->flags & THREADSAFE`: a bit of a keyed operand, by a literal or an
  // enumerator (APR's pollset_lock_rings and pollset_unlock_rings).
  if (const auto *BO = dyn_cast<BinaryOperator>(E); BO && BO->getOpcode() == BO_And) {
    const Expr *Bits = BO->getRHS()->IgnoreParenCasts();
    std::optional<uint64_t> Mask;
    if (const auto *Lit = dyn_cast<IntegerLiteral>(Bits))
      Mask = Lit->getValue().getLimitedValue();
    else if (const auto *Ref = dyn_cast<DeclRefExpr>(Bits))
      if (const auto *Enumerator = dyn_cast<EnumConstantDecl>(Ref->getDecl()))
        Mask = Enumerator->getInitVal().getLimitedValue();
    std::string Operand = conditionKey(BO->getLHS());
    if (!Mask || Operand.empty())
      return {};
    return Operand + " & " + std::to_string(*Mask);
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD)
      return {};
    return varConditionKey(VD);
  }
  if (isa<CXXThisExpr>(E))
    return "this";
  // `*Pid`, through a pointer parameter (libuv's `*pid = fork()`).
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_Deref) {
    std::string Pointer = conditionKey(UO->getSubExpr());
    return Pointer.empty() ? Pointer : "*" + Pointer;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (!isa<FieldDecl>(ME->getMemberDecl()))
      return {};
    std::string Base = conditionKey(ME->getBase());
    if (Base.empty())
      return {};
    return Base + (ME->isArrow() ? "->" : ".") + ME->getMemberDecl()->getNameAsString();
  }
  return {};
}

/// The key of a compound condition (`!w->is_bg || w->is_bg_thread`) whose
/// operands all have keys: "(" operands and operators ")". Empty otherwise.
static std::string compoundConditionKey(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_LNot) {
    std::string Sub = compoundConditionKey(UO->getSubExpr());
    if (Sub.empty())
      Sub = conditionKey(UO->getSubExpr());
    return Sub.empty() ? Sub : "!" + Sub;
  }
  const auto *BO = dyn_cast<BinaryOperator>(E);
  if (!BO || !BO->isLogicalOp())
    return {};
  auto Operand = [](const Expr *X) {
    std::string K = compoundConditionKey(X);
    return K.empty() ? conditionKey(X) : K;
  };
  const std::string L = Operand(BO->getLHS()), R = Operand(BO->getRHS());
  if (L.empty() || R.empty())
    return {};
  return "(" + L + (BO->getOpcode() == BO_LOr ? " || " : " && ") + R + ")";
}

/// Whether \p E is a call to an initializer of a pthread object that glibc
/// never lets fail for the attributes it supports: pthread_mutex_init,
/// pthread_cond_init, pthread_rwlock_init, pthread_spin_init and their
/// attribute initializers.
static bool isUnfailingInit(const Expr *E) {
  const auto *CE = dyn_cast<CallExpr>(E->IgnoreParenImpCasts());
  const FunctionDecl *Callee = CE ? CE->getDirectCallee() : nullptr;
  if (!Callee || !Callee->getIdentifier() ||
      !Callee->getDeclContext()->getRedeclContext()->isTranslationUnit())
    return false;
  return llvm::is_contained({"pthread_mutex_init", "pthread_cond_init", "pthread_rwlock_init",
                             "pthread_spin_init", "pthread_mutexattr_init",
                             "pthread_condattr_init", "pthread_rwlockattr_init"},
                            Callee->getName());
}

/// Whether \p E is a call to fork() or vfork().
static bool isForkCall(const Expr *E) {
  const auto *CE = dyn_cast<CallExpr>(E->IgnoreParenImpCasts());
  const FunctionDecl *Callee = CE ? CE->getDirectCallee() : nullptr;
  return Callee && Callee->getDeclContext()->getRedeclContext()->isTranslationUnit() &&
         (Callee->getName() == "fork" || Callee->getName() == "vfork");
}

/// The truth value of a literal (`true`, `false`, `0`, `1`, `NULL`), else
/// none.
static std::optional<bool> constantTruth(const Expr *E) {
  E = E->IgnoreParenCasts();
  if (const auto *Comma = dyn_cast<BinaryOperator>(E); Comma && Comma->isCommaOp())
    return constantTruth(Comma->getRHS()); // `(unlock(m), 0)`
  if (const auto *B = dyn_cast<CXXBoolLiteralExpr>(E))
    return B->getValue();
  if (const auto *I = dyn_cast<IntegerLiteral>(E))
    return !I->getValue().isZero();
  // `return -1;`, an error code as an enumerator.
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && (U->getOpcode() == UO_Minus || U->getOpcode() == UO_Plus))
    return constantTruth(U->getSubExpr());
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    if (const auto *Enumerator = dyn_cast<EnumConstantDecl>(Ref->getDecl()))
      return !Enumerator->getInitVal().isZero();
  if (isa<CXXNullPtrLiteralExpr>(E) || isa<GNUNullExpr>(E))
    return false;
  return std::nullopt;
}

/// Whether \p E names a local variable or a member of one. Its address
/// escaping lets a callee change it where the function cannot see; a global
/// can change in any call, which conditions already assume it does not.
static bool localRoot(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  while (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (ME->isArrow())
      return false;
    E = ME->getBase()->IgnoreParenImpCasts();
  }
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return VD && VD->hasLocalStorage();
}

/// \p Key is \p Assigned, or a member reached through it.
static bool keyUnder(const std::string &Key, const std::string &Assigned) {
  if (Key.size() > 1 && Key[0] == '*' && keyUnder(Key.substr(1), Assigned))
    return true; // what a reassigned pointer points to is another object
  // A compound condition (compoundConditionKey): under any of its operands.
  if (Key.size() > 1 && Key[0] == '(') {
    for (size_t At = Key.find(Assigned); At != std::string::npos;
         At = Key.find(Assigned, At + 1)) {
      const char Before = Key[At - 1];
      const size_t End = At + Assigned.size();
      const char After = End < Key.size() ? Key[End] : ')';
      if ((Before == '(' || Before == '!' || Before == ' ') &&
          (After == '.' || After == '-' || After == ' ' || After == ')'))
        return true;
    }
    return false;
  }
  if (Key.size() < Assigned.size() || Key.compare(0, Assigned.size(), Assigned) != 0)
    return false;
  if (Key.size() == Assigned.size())
    return true;
  char Next = Key[Assigned.size()];
  return Next == '.' || Next == '-' || Next == ' '; // ' ': a comparison of it
}

/// An assignment (or ++, --, a re-declaration in a loop) to what \p Target
/// names: what was known about conditions under it no longer holds.
static void forgetConditions(State &S, const std::string &Target) {
  if (Target.empty())
    return;
  for (auto It = S.Facts.begin(); It != S.Facts.end();)
    It = keyUnder(It->first, Target) ? S.Facts.erase(It) : std::next(It);
  if (!S.ForkResult.empty() && keyUnder(S.ForkResult, Target))
    S.ForkResult.clear();
  for (Entry &E : S.Held)
    for (auto It = E.Conds.begin(); It != E.Conds.end();)
      It = keyUnder(It->first, Target) ? E.Conds.erase(It) : std::next(It);
}

/// The net effect of calling a function on the caller's lockset, in the
/// callee's space (parameters, `this`).
struct Effect {
  std::vector<std::pair<LockRef, AcquireMode>> Acquires;
  std::vector<LockRef> Releases;
  /// Caller's locks a callback it calls may release (FunctionSummary::
  /// HandsOverCallers).
  std::vector<LockRef> HandsOver;
  bool FromAttributes = false;
  /// Acquires are try-acquisitions, held when the function returns
  /// TrySuccess (TRY_ACQUIRE, or a `bool try_lock()` that returns whether
  /// its trylock succeeded).
  bool Try = false;
  bool TrySuccess = true;
  /// The function returns what its lock call returned
  /// (FunctionSummary::ReturnsLockResult).
  bool ResultIsLockResult = false;
  /// Parameters whose lock Acquires takes only when the pointer is not
  /// null (`if (p) lock(&p->mutex)`, SQLite's sqlite3_mutex_enter): at a
  /// call with a local pointer variable, the lock is held exactly when that
  /// variable is not null (`if (mutexOpen) sqlite3_mutex_leave(mutexOpen)`).
  std::vector<int> HeldUnlessNullParams;
  /// Locks the function returns holding exactly when an integer flag
  /// parameter has a value (unbound's rpz_find_zone(..., zones_keep_lock)
  /// keeps the zones' lock for the caller when asked to): at a call, held
  /// for a constant argument of that truth, never for the other, and
  /// otherwise where the argument's condition says so. Not part of the
  /// function's summary: callers in other TUs see no such lock.
  struct FlagAcquire {
    LockRef Lock;
    AcquireMode Mode;
    unsigned Param;
    bool When;
  };
  std::vector<FlagAcquire> HeldWhenFlag;
  /// A constructor acquiring locks passed to it (through fields it
  /// initializes from its parameters): its class is a scoped guard.
  bool GuardCtor = false;
  /// With GuardCtor: it acquires them only when the pointer it was given is
  /// not null (libzmq's scoped_optional_lock_t): a guard of what an
  /// argument `&mu` names, and of nothing the analysis can decide when it
  /// may be null (`thread_safe ? &mu : NULL`).
  bool UnlessNull = false;
  /// A constructor of a class whose destructor takes again locks reached
  /// through fields it initialized from its parameters (Poco's
  /// ScopedUnlock: `~ScopedUnlock() { _m.lock(); }`): those locks, in the
  /// constructor's parameter space, are acquired where such an object dies.
  std::vector<std::pair<LockRef, AcquireMode>> RelocksAtEnd;
  /// The function does nothing a caller's locks matter to but take or drop
  /// the locks of its effect (`void lockA() { A.lock(); }`): a call to it
  /// is the effect alone, not also a call.
  bool Pure = true;
  /// No path through the function returns (each ends in `exit`, `abort`,
  /// a throw or a call to such a function): the caller's path ends at the
  /// call, like at a call to a `noreturn` function (pbzip2's
  /// cleanupAndQuit()). Known for functions of this TU only.
  bool NoReturn = false;
  bool empty() const {
    return Acquires.empty() && Releases.empty() && HandsOver.empty() && HeldWhenFlag.empty();
  }
};

/// A try-acquisition made in the current block, for the branch that tests it.
struct PendingTry {
  const Expr *Call = nullptr;
  bool SuccessIsTrue = true;
  std::vector<std::string> Keys;
  /// A blocking acquisition (pthread_mutex_lock) whose result a branch
  /// tests: it holds on every path but the one where it failed.
  bool Blocking = false;
};

class TUAnalyzer;

//===----------------------------------------------------------------------===//
// One function
//===----------------------------------------------------------------------===//

class FunctionAnalysis {
public:
  FunctionAnalysis(TUAnalyzer &TU, const FunctionDecl *FD);
  /// Runs the dataflow, fills Summary and computes the net Effect.
  void run();

  FunctionSummary Summary;
  Effect NetEffect;

private:
  TUAnalyzer &TU;
  ASTContext &Ctx;
  const FunctionDecl *FD;
  std::string FnName;
  std::unique_ptr<CFG> Cfg;
  bool Recording = false;
  PendingTry Pending;
  std::set<std::string> ReleasedUnheldKeys;
  std::map<std::string, LockRef> ReleasedUnheld;
  /// Where each of ReleasedUnheld was first released.
  std::map<std::string, SourceLocation> ReleasedUnheldAt;
  /// Of ReleasedUnheldKeys: those some call releases for certain (an
  /// unlock, a lock wrapper); the others are only handed over (release()).
  std::set<std::string> ReleasedForCertain;
  std::set<std::string> SeenAcq; // dedupe of recorded acquisitions
  BodyFacts Facts; // accesses, thread starts, role (BodyFacts.h)
  /// Per Facts.Starts: its index in Summary.Spawns, or -1.
  std::vector<int> SpawnOf;
  void recordAccess(const Stmt *St, const State &S);
  // Waits and notifies (issue 8), built on first use.
  std::unique_ptr<ParentMap> Parents;
  /// Keys of the locks acquired before each of Summary.Notifies.
  std::vector<std::vector<std::string>> NotifyBefore;

  Frame frameAt(SourceLocation L) const;
  /// The conditions on this function's parameters in \p S's Facts.
  std::vector<ParamFact> paramGuards(const State &S) const;
  std::optional<LockRef> resolve(const Expr *E) const;
  std::optional<LockRef> resolveArgument(const Expr *A) const;
  LockRef resolveOrUnknown(const Expr *E) const;

  void transferBlock(const CFGBlock *B, State &S);
  void transferElement(const CFGElement &E, State &S);
  State outState(const CFGBlock *B, const State &In, unsigned SuccIndex);
  /// At the end of an arm of a tested `C ? X : Y`: its value, when the arm's
  /// result is a constant, as in xz's `for (i = 0; i ? (unlock(m), 0) :
  /// (lock(m), 1); i = 1)` lock scope.
  void noteConditionalArm(const CFGBlock *B, State &S);
  /// \p Value, stored into what \p Target keys, is the result of the lock
  /// call just made (Pending).
  void noteLockResult(const Expr *Value, const std::string &Target, State &S);
  /// \p L is made recursive here (FunctionSummary::RecursiveInits).
  void noteRecursive(const LockRef &L);
  /// Attribute objects set to PTHREAD_MUTEX_RECURSIVE in this function.
  std::set<const ValueDecl *> RecursiveAttrs;
  void applyBranch(const CFGBlock *B, State &S, unsigned SuccIndex);
  void applySwitchCase(const CFGBlock *B, State &S, unsigned SuccIndex);
  void inferTryEffect(const std::vector<std::pair<const CFGBlock *, State>> &Exits);
  void noteAssignedConstant(const std::string &Target, const Expr *Value, State &S);
  void applyCompoundBranch(const CFGBlock *B, State &S, unsigned SuccIndex);
  /// The first blocks of the branches of each `if` on a compound condition
  /// (compoundConditionKey): which if, its key, and the branch's value.
  struct CompoundEntry {
    const IfStmt *If;
    std::string Key;
    bool Value;
  };
  std::map<const CFGBlock *, CompoundEntry> CompoundEntries;
  bool CompoundEntriesBuilt = false;

  void handleCall(const CallExpr *CE, State &S);
  void handleDecl(const VarDecl *VD, State &S);
  bool handleAttributes(const CallExpr *CE, const FunctionDecl *Callee,
                        const Expr *Object, State &S);
  void applyEffect(const Effect &Eff, const CallExpr *CE, const Expr *Object,
                   State &S, SourceLocation Loc);

  void acquire(State &S, const std::vector<LockRef> &Locks, SourceLocation Loc,
               AcquireMode Mode, bool Try, const VarDecl *Guard);
  /// \p HandedOver: released by a callback that may or may not run, which
  /// is no unlock of an unheld lock when it is not held.
  void release(State &S, const LockRef &L, SourceLocation Loc, bool HandedOver = false);
  /// For each lock released here, the parameters whose test decides whether
  /// it is released (`if (!keep) unlock(&t->lock);`), with the value under
  /// which it is: a flag, unlike an early return that forgot the unlock.
  std::map<std::string, std::set<std::pair<unsigned, bool>>> ReleasedUnderParam;
  /// The parameters tested by an if (as P or !P) one of whose branches holds
  /// \p Loc, each with its value in that branch.
  std::vector<std::pair<unsigned, bool>> paramBranchesAround(SourceLocation Loc);
  void releaseGuard(State &S, const VarDecl *Guard);
  void blocking(State &S, StringRef What, SourceLocation Loc,
                std::vector<LockRef> Releases, int TimeoutParam = -1);
  /// The index of this function's parameter \p E names, or -1.
  int ownParameter(const Expr *E) const;
  /// A call of \p Callee at \p L: callee, place, locks held and released.
  CallSite callSite(const FunctionDecl *Callee, SourceLocation L, const State &S) const;
  CallSite callSiteTo(std::string Callee, std::string Name, SourceLocation L,
                      const State &S) const;
  /// A call through a function-pointer field: a call of whatever the
  /// program stores in that field (resolved by the link step).
  void recordFieldCall(State &S, const CallExpr *CE);
  /// The callback-container field whose element \p Callee is.
  const FieldDecl *containerElementCalled(const Expr *Callee) const;
  /// The callback parameter of this function (function pointer or
  /// std::function) a call goes through.
  const ParmVarDecl *callbackParam(const Expr *Callee) const;
  /// A call of what the callee key \p Key names (a field's or a parameter's
  /// functions), its arguments from \p ArgBase on.
  void recordCallThrough(State &S, const CallExpr *CE, std::string Key, std::string Name,
                         unsigned ArgBase, bool ThroughThis = false);
  /// The arguments of \p CE from \p ArgBase on, as CallSite::Args.
  std::vector<std::optional<LockRef>> callArgs(const CallExpr *CE, unsigned ArgBase) const;
  /// A call through the field or variable \p Key releases the caller's
  /// locks that the functions stored there release for their callers
  /// (TUAnalysisOptions::PointerCallReleases).
  /// A call through the field or variable \p Key that holds lock methods
  /// (TUAnalysisOptions::PointerCallEffects): their effect, applied here.
  void applyLockMethod(State &S, const CallExpr *CE, const std::string &Key);
  void handOverThrough(State &S, const CallExpr *CE, const std::string &Key,
                       unsigned ArgBase);
  /// CallSite::FnArgs for argument \p A: the function it names, or this
  /// function's parameter it passes on.
  std::string functionArgument(const Expr *A) const;
  /// The USRs of the functions run by this function's threads that may be
  /// running at \p L ("" for one that cannot be named), one each.
  std::vector<std::string> runningAt(SourceLocation L) const;
  /// What the caller knows of argument \p A, passed for parameter \p Pos:
  /// CallSite::ParamArgs and CallSite::ArgFacts.
  void describeArgument(const State &S, const Expr *A, unsigned Pos, CallSite &C) const;
  void recordCall(State &S, const CallExpr *CE, const FunctionDecl *Callee,
                  const Expr *Object);
  void condCall(const CondCall &C, const CallExpr *CE, State &S);
  /// Where \p St stands with respect to the loops of this function.
  /// The body's parent map, made on first use.
  const ParentMap *parents();
  /// Whether parameter \p P is used only as (part of) the condition of an
  /// `if`: a flag that says what to do, not a value.
  bool onlyTested(const ParmVarDecl *P);
  LoopVerdict loopAround(const Stmt *St);
  /// Whether \p St is in the branch of a lazy initialization (CallSite::
  /// OnceOnly).
  bool inLazyInit(const Stmt *St);
  /// The locks a condition-variable wait on \p Mutex (a guard or a lock)
  /// releases while it blocks.
  std::vector<LockRef> releasedBy(const Expr *Mutex, const State &S) const;
  void joinCall(const CallExpr *CE, const Expr *Object, State &S);
  std::string threadName(const FunctionDecl *Entry) const;

  std::vector<HeldLock> heldLocks(const State &S) const;
  /// The caller's locks this function has released at this point.
  std::vector<LockRef> releasedNow(const State &S) const;
  void addFinding(const char *Check, std::string Message, SourceLocation Loc,
                  std::vector<FindingNote> Notes, std::vector<std::string> Locks);
  /// For a missing unlock of \p Kept on the exit path whose state is
  /// \p Out: a lock of the same object released on that path but on no
  /// other, which this function never acquired (nng's http_server_set_err
  /// unlocks `s->mtx` where it took `s->errors_mtx`), as a note.
  std::optional<FindingNote>
  wrongLockReleased(const Entry &Kept, const State &Out,
                    const std::vector<std::pair<const CFGBlock *, State>> &Exits) const;
  const VarDecl *guardVar(const Expr *E, const State &S) const;
};

class TUAnalyzer {
public:
  TUAnalyzer(ASTContext &Ctx, const TUAnalysisOptions &Opts, TUSummary &Out)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Opts(Opts), Out(Out) {}

  ASTContext &Ctx;
  SourceManager &SM;
  const TUAnalysisOptions &Opts;
  TUSummary &Out;
  /// The descriptors this TU makes non-blocking (set before any analysis).
  DescriptorFacts Descriptors;
  /// TUSummary::InternalLocks and ExternalGlobals, as resolve() meets them.
  std::set<std::string> InternalLocks, ExternalGlobals;

  /// A global attribute object some function of the TU sets to
  /// PTHREAD_MUTEX_RECURSIVE (civetweb's mg_init_library sets the
  /// `pthread_mutex_attr` that worker_thread_run and mg_connect_client_impl
  /// init each connection's mutex with): computed once.
  bool recursiveGlobalAttr(const ValueDecl *Attr) {
    const auto *Var = dyn_cast<VarDecl>(Attr);
    if (!Var || !Var->hasGlobalStorage())
      return false;
    if (!GlobalRecursiveAttrs) {
      GlobalRecursiveAttrs.emplace();
      std::vector<const Decl *> Work(Ctx.getTranslationUnitDecl()->decls_begin(),
                                     Ctx.getTranslationUnitDecl()->decls_end());
      while (!Work.empty()) {
        const Decl *D = Work.back();
        Work.pop_back();
        if (const auto *DC = dyn_cast<DeclContext>(D); DC && !isa<FunctionDecl>(D))
          Work.insert(Work.end(), DC->decls_begin(), DC->decls_end());
        if (const auto *FD = dyn_cast<FunctionDecl>(D); FD && FD->doesThisDeclarationHaveABody())
          collectRecursiveAttrs(FD->getBody(), Ctx, *GlobalRecursiveAttrs);
      }
    }
    return GlobalRecursiveAttrs->count(Var->getCanonicalDecl()) ||
           GlobalRecursiveAttrs->count(Var);
  }

  /// madeRecursiveByConstructors, once per member.
  bool recursiveMember(const FieldDecl *Field) {
    auto [It, New] = RecursiveMembers.try_emplace(Field, false);
    if (New)
      It->second = madeRecursiveByConstructors(Field, Ctx);
    return It->second;
  }
  /// The lock class of members and globals used as locks (TUSummary::LockTypes).
  std::set<std::pair<std::string, std::string>> LockTypes;
  llvm::DenseMap<const FieldDecl *, bool> RecursiveMembers;
  std::optional<std::set<const ValueDecl *>> GlobalRecursiveAttrs;

  bool shouldAnalyze(const FunctionDecl *FD) const {
    if (!FD || !FD->doesThisDeclarationHaveABody() || FD->isDependentContext() ||
        FD->isDeleted() || FD->isDefaulted())
      return false;
    if (FD->isImplicit() && !isa<CXXMethodDecl>(FD))
      return false;
    SourceLocation L = SM.getExpansionLoc(FD->getLocation());
    return L.isValid() && !SM.isInSystemHeader(L);
  }

  /// Analyzes \p FD once (summary recorded) and returns its net effect.
  const Effect &analyze(const FunctionDecl *FD) {
    FD = FD->getDefinition() ? FD->getDefinition() : FD;
    auto It = Effects.find(FD);
    if (It != Effects.end())
      return It->second;
    Effects[FD] = Effect{}; // recursion: empty effect while in progress
    if (!shouldAnalyze(FD) || Depth > 16)
      return Effects[FD];
    ++Depth;
    FunctionAnalysis FA(*this, FD);
    FA.run();
    --Depth;
    if (!FA.NetEffect.Try)
      for (const auto &[Lock, Mode] : FA.NetEffect.Acquires)
        FA.Summary.ReturnsHolding.push_back({Lock, FA.Summary.Decl, Mode});
    FA.Summary.ReleasesCallers = FA.NetEffect.Releases;
    FA.Summary.HandsOverCallers = FA.NetEffect.HandsOver;
    FA.Summary.ReturnsLockResult = FA.NetEffect.ResultIsLockResult;
    Out.Functions.push_back(std::move(FA.Summary));
    Effects[FD] = std::move(FA.NetEffect);
    return Effects[FD];
  }

  std::string fileOf(SourceLocation L) {
    FileID ID = SM.getFileID(L);
    auto It = FileNames.find(ID);
    if (It != FileNames.end())
      return It->second;
    std::string Name;
    if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(ID)) {
      Name = std::string(SM.getFileManager().getCanonicalName(*FE));
      if (Name.empty())
        Name = std::string(FE->getName());
    }
    FileNames[ID] = Name;
    return Name;
  }

  void skipped(SourceLocation L, const Twine &What) {
    L = SM.getExpansionLoc(L);
    Out.Skipped.push_back((fileOf(L) + ":" + Twine(SM.getExpansionLineNumber(L)) +
                           ": " + What)
                              .str());
  }

private:
  DenseMap<const FunctionDecl *, Effect> Effects;
  DenseMap<FileID, std::string> FileNames;
  unsigned Depth = 0;
};

FunctionAnalysis::FunctionAnalysis(TUAnalyzer &TU, const FunctionDecl *FD)
    : TU(TU), Ctx(TU.Ctx), FD(FD) {
  FnName = plainName(FD);
  Summary.USR = usrOf(FD);
  Summary.Name = FnName;
  Summary.Decl = frameAt(FD->getLocation());
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
    for (const CXXMethodDecl *O : MD->overridden_methods())
      Summary.Overrides.push_back(usrOf(O));
}

Frame FunctionAnalysis::frameAt(SourceLocation L) const {
  Frame F;
  F.Function = FnName;
  L = TU.SM.getExpansionLoc(L);
  if (L.isInvalid())
    return F;
  F.File = TU.fileOf(L);
  F.Line = TU.SM.getExpansionLineNumber(L);
  F.Column = TU.SM.getExpansionColumnNumber(L);
  return F;
}

//===----------------------------------------------------------------------===//
// Lock expressions
//===----------------------------------------------------------------------===//

std::optional<LockRef> FunctionAnalysis::resolve(const Expr *E) const {
  if (!E)
    return std::nullopt;
  E = E->IgnoreParenCasts()->IgnoreImplicit()->IgnoreParenCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref) {
      auto R = resolve(UO->getSubExpr());
      if (R && UO->getOpcode() == UO_AddrOf)
        R->PointerValue = false;
      return R;
    }
    return std::nullopt;
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
    // Smart pointers: *p, p-> on unique_ptr/shared_ptr.
    if ((OC->getOperator() == OO_Star || OC->getOperator() == OO_Arrow) &&
        OC->getNumArgs() == 1) {
      auto R = resolve(OC->getArg(0));
      if (R)
        R->PointerValue = !R->Path.empty();
      return R;
    }
  }
  if (isa<CXXThisExpr>(E)) {
    LockRef R;
    R.Base = BaseKind::This;
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
      R.Name = plainName(MD->getParent());
    return R;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    // A range-for variable is another element on each iteration (and its
    // hidden iterator, __begin1, no name to show): no one object.
    if (!VD || VD->isCXXForRangeDecl() || VD->isImplicit())
      return std::nullopt;
    LockRef R;
    R.Kind = lockKindOf(VD->getType());
    if (const auto *PVD = dyn_cast<ParmVarDecl>(VD);
        PVD && PVD->getDeclContext() == FD) {
      R.Base = BaseKind::Param;
      R.Index = int(PVD->getFunctionScopeIndex());
      R.Name = FnName + "(" + PVD->getNameAsString() + ")";
      return R;
    }
    if (VD->hasGlobalStorage()) {
      R.Base = BaseKind::Global;
      R.Name = plainName(VD);
      if (!VD->isExternallyVisible()) {
        TU.InternalLocks.insert(R.Name);
        if (TU.Opts.QualifiedStatics.count(R.Name))
          R.Name += " (" + llvm::sys::path::filename(TU.fileOf(TU.SM.getExpansionLoc(
                                VD->getLocation())))
                               .str() +
                    ")";
      } else {
        TU.ExternalGlobals.insert(R.Name);
      }
      if (initializedRecursive(VD, TU.SM, Ctx.getLangOpts()))
        R.Kind = LockKind::RecursiveMutex;
      if (const CXXRecordDecl *Type = VD->getType()->getAsCXXRecordDecl();
          Type && R.Kind == LockKind::Unknown && !Type->isInStdNamespace())
        TU.LockTypes.insert({R.Name, plainName(Type)});
      return R;
    }
    // A local reference or pointer initialized once aliases its initializer.
    if ((VD->getType()->isReferenceType() || VD->getType()->isPointerType()) &&
        VD->getInit() && VD->getDeclContext() == FD) {
      if (auto Init = resolve(VD->getInit()))
        return Init;
    }
    R.Base = BaseKind::Local;
    const DeclContext *Owner = VD->getParentFunctionOrMethod();
    R.Name = (Owner ? plainName(cast<NamedDecl>(Decl::castFromDeclContext(Owner)))
                    : FnName) +
             "::" + VD->getNameAsString();
    return R;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    const ValueDecl *Member = ME->getMemberDecl();
    if (const auto *VD = dyn_cast<VarDecl>(Member)) { // static member
      LockRef R;
      R.Base = BaseKind::Global;
      R.Name = plainName(VD);
      R.Kind = lockKindOf(VD->getType());
      return R;
    }
    const auto *Field = dyn_cast<FieldDecl>(Member);
    if (!Field)
      return std::nullopt;
    std::optional<LockRef> Base = resolve(ME->getBase());
    if (!Base) {
      Base = LockRef{};
      Base->Base = BaseKind::Unknown;
      Base->Name = plainName(Field->getParent());
    }
    if (isLockWrapperStruct(Field->getParent()) && !Base->PointerValue &&
        !(ME->isArrow() && !Base->Path.empty())) {
      // The wrapper struct is the lock; its member adds nothing to its name.
      Base->Kind = lockKindOf(Field->getType());
      return Base;
    }
    PathElem PE;
    PE.Field = Field->getNameAsString();
    PE.Class = plainName(Field->getParent());
    PE.ThroughPointer = Base->PointerValue ||
                        (ME->isArrow() && (!Base->Path.empty() || Base->Base == BaseKind::Local ||
                                          Base->Base == BaseKind::Global));
    Base->Path.push_back(std::move(PE));
    Base->Kind = lockKindOf(Field->getType());
    if (Base->Kind == LockKind::Mutex && TU.recursiveMember(Field))
      Base->Kind = LockKind::RecursiveMutex;
    if (const CXXRecordDecl *Type = Field->getType()->getAsCXXRecordDecl();
        Type && Base->Kind == LockKind::Unknown && !Type->isInStdNamespace())
      TU.LockTypes.insert(
          {Base->Path.back().Class + "::" + Base->Path.back().Field, plainName(Type)});
    // A C struct that wraps a lock, held by value or through a pointer
    // (SQLite's `sqlite3_mutex *mutex` in `sqlite3`): its class, for locks
    // its initializers make recursive (Linker::computeRecursive).
    if (const RecordDecl *Type =
            Field->getType()->getPointeeOrArrayElementType()->getAsRecordDecl();
        Type && !isa<CXXRecordDecl>(Type) && isLockWrapperStruct(Type))
      TU.LockTypes.insert(
          {Base->Path.back().Class + "::" + Base->Path.back().Field, plainName(Type)});
    Base->PointerValue = Field->getType()->isPointerType();
    if (Base->Path.size() > MaxPathLength) {
      LockRef U;
      U.Base = BaseKind::Unknown;
      U.Name = Base->className();
      U.Path.push_back(Base->Path.back());
      U.Kind = Base->Kind;
      return U;
    }
    return Base;
  }
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
    auto Base = resolve(ASE->getBase());
    if (!Base)
      return std::nullopt;
    LockRef U;
    U.Base = BaseKind::Unknown;
    U.Name = Base->displayName() + "[]";
    U.Kind = lockKindOf(ASE->getType());
    return U;
  }
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    // A function returning a lock: one lock class per function.
    if (const FunctionDecl *Callee = CE->getDirectCallee()) {
      LockRef U;
      U.Base = BaseKind::Unknown;
      U.Name = plainName(Callee) + "()";
      U.Kind = lockKindOf(CE->getType());
      return U;
    }
  }
  return std::nullopt;
}

/// Whether \p Body takes the address of \p VD (`create(&mutex)`).
static bool addressTaken(const VarDecl *VD, const Stmt *Body) {
  if (!Body)
    return false;
  if (const auto *UO = dyn_cast<UnaryOperator>(Body); UO && UO->getOpcode() == UO_AddrOf)
    if (const auto *DRE = dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts());
        DRE && DRE->getDecl() == VD)
      return true;
  for (const Stmt *Child : Body->children())
    if (addressTaken(VD, Child))
      return true;
  return false;
}

/// resolve() of a call's argument. A local pointer variable that an
/// out-parameter set (APR's `apr_thread_mutex_create(&mutex, ...)`), passed
/// by value, points at the object whose member the callee locks, so the
/// lock is reached through it (`my_lock(mutex)` locking `m->mutex`): it is
/// no object of the function's own, as `&x` passes. (Other pointers keep
/// naming what they point to by the variable, as reports always called
/// them: SQLite's `sqlite3_mutex *mutex = sqlite3MutexAlloc(...)`, a
/// global's `thread_lock.mutex`.)
std::optional<LockRef> FunctionAnalysis::resolveArgument(const Expr *A) const {
  std::optional<LockRef> R = resolve(A);
  if (!R || !R->Path.empty() || R->Base != BaseKind::Local)
    return R;
  const auto *DRE = dyn_cast<DeclRefExpr>(A->IgnoreParenImpCasts());
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (VD && VD->getType()->isPointerType() && VD->getDeclContext() == FD &&
      !(VD->getInit() && resolve(VD->getInit())) && addressTaken(VD, FD->getBody()))
    R->PointerValue = true;
  return R;
}

LockRef FunctionAnalysis::resolveOrUnknown(const Expr *E) const {
  if (auto R = resolve(E))
    return *R;
  TU.skipped(E->getBeginLoc(), "cannot name lock expression; using its type");
  LockRef U;
  U.Base = BaseKind::Unknown;
  QualType T = E->getType().getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  U.Name = "(" + T.getUnqualifiedType().getAsString() + ")";
  U.Kind = lockKindOf(E->getType());
  return U;
}

//===----------------------------------------------------------------------===//
// Events
//===----------------------------------------------------------------------===//

std::vector<LockRef> FunctionAnalysis::releasedNow(const State &S) const {
  std::vector<LockRef> Out;
  for (const auto &[Key, L] : S.CallerReleased) {
    bool Held = false;
    for (const Entry &E : S.Held)
      Held |= E.Key == Key;
    if (!Held)
      Out.push_back(L);
  }
  return Out;
}

std::vector<HeldLock> FunctionAnalysis::heldLocks(const State &S) const {
  std::vector<HeldLock> Out;
  for (const Entry &E : S.Held)
    Out.push_back({E.Lock, E.At, E.Mode, !E.Must});
  return Out;
}

void FunctionAnalysis::addFinding(const char *Check, std::string Message,
                                  SourceLocation Loc, std::vector<FindingNote> Notes,
                                  std::vector<std::string> Locks) {
  Finding F;
  F.Check = Check;
  F.Message = std::move(Message);
  F.Location = frameAt(Loc);
  F.Notes = std::move(Notes);
  F.Locks = std::move(Locks);
  F.FingerprintKey = std::string(Check) + ":" + FnName + ":" + F.Message;
  F.Origin = "static";
  for (const Finding &Old : Summary.Findings)
    if (Old.Check == F.Check && Old.Location == F.Location && Old.Message == F.Message)
      return;
  Summary.Findings.push_back(std::move(F));
}

static std::string quote(const std::string &S) { return "'" + S + "'"; }

std::optional<FindingNote> FunctionAnalysis::wrongLockReleased(
    const Entry &Kept, const State &Out,
    const std::vector<std::pair<const CFGBlock *, State>> &Exits) const {
  const LockRef &K = Kept.Lock;
  if (!K.precise() || K.Path.empty())
    return std::nullopt;
  for (const auto &[Key, L] : Out.CallerReleased) {
    // Another field of the same object.
    if (L.Base != K.Base || L.Name != K.Name || L.Index != K.Index ||
        L.Path.size() != K.Path.size() || L == K ||
        !std::equal(K.Path.begin(), K.Path.end() - 1, L.Path.begin()))
      continue;
    // Released on this path only: a function that hands its caller's lock
    // back releases it on every path.
    bool Elsewhere = llvm::any_of(Exits, [&, &Key = Key](const auto &X) {
      return &X.second != &Out && X.second.CallerReleased.count(Key);
    });
    auto At = ReleasedUnheldAt.find(Key);
    if (Elsewhere || At == ReleasedUnheldAt.end())
      continue;
    return FindingNote{frameAt(At->second),
                       quote(L.displayName()) + " released here instead, which " +
                           quote(FnName) + " did not acquire"};
  }
  return std::nullopt;
}

void FunctionAnalysis::acquire(State &S, const std::vector<LockRef> &Locks,
                               SourceLocation Loc, AcquireMode Mode, bool Try,
                               const VarDecl *Guard) {
  std::vector<HeldLock> Before = heldLocks(S);
  std::vector<Entry> New;
  for (const LockRef &L : Locks) {
    S.Failed.erase(L.key());
    Entry E;
    E.Lock = L;
    E.Key = L.key();
    E.At = frameAt(Loc);
    E.Mode = Mode;
    E.Guard = Guard;
    E.Must = !Try;
    E.Try = Try;
    E.NotOurs = S.CallerReleased.count(E.Key) > 0;
    if (auto GR = S.GuardReleased.find(E.Key);
        GR != S.GuardReleased.end() && !Guard && S.Guards.count(GR->second.first)) {
      E.Guard = GR->second.first; // back to the guard that owned it
      S.GuardReleased.erase(GR);
    }
    S.Acquired.insert(E.Key);
    if (Recording) {
      // A second acquisition of a lock held on every path to here.
      if (!Try && L.precise() && L.Kind != LockKind::RecursiveMutex)
        for (const Entry &H : S.Held)
          if (H.Key == E.Key && H.Must &&
              !(H.Mode == AcquireMode::Shared && Mode == AcquireMode::Shared)) {
            addFinding(DoubleLockCheck,
                       "double lock of " + quote(L.displayName()) +
                           ": it is already held here (self-deadlock)",
                       Loc, {{H.At, quote(L.displayName()) + " first acquired here"}},
                       {L.displayName()});
            break;
          }
      std::string Dedupe = E.Key + "@" + std::to_string(E.At.Line) + ":" +
                           std::to_string(E.At.Column);
      for (const HeldLock &H : Before)
        Dedupe += "|" + H.Lock.key();
      if (SeenAcq.insert(Dedupe).second)
        Summary.Acquisitions.push_back({L, E.At, Mode, Try, Before, E.NotOurs, releasedNow(S)});
    }
    New.push_back(std::move(E));
  }
  for (Entry &E : New) {
    if (Entry *Old = S.find(E.Key, E.Guard)) {
      Old->Must = Old->Must || E.Must;
      Old->Count = std::min(Old->Count + 1, 3u);
      continue;
    }
    S.Held.push_back(std::move(E));
  }
}

void FunctionAnalysis::release(State &S, const LockRef &L, SourceLocation Loc,
                               bool HandedOver) {
  std::string Key = L.key();
  for (const auto &Guard : paramBranchesAround(Loc))
    ReleasedUnderParam[Key].insert(Guard);
  if (S.Failed.erase(Key) && !S.find(Key, nullptr))
    return; // on the path where taking it failed: error handling, not ours

  // Prefer a direct entry with the same identity, then one owned by a guard
  // (a manual unlock under a guard), then the same lock class.
  auto Match = [&](auto Pred) -> std::vector<Entry>::iterator {
    return std::find_if(S.Held.begin(), S.Held.end(), Pred);
  };
  auto It = Match([&](const Entry &E) { return E.Key == Key && !E.Guard; });
  if (HandedOver) {
    // Only the very lock (never one of its class, nor a guard's, nor one
    // without a name): a callback the analysis cannot tell apart from the
    // others stored in the field may not run at all.
    if (!L.precise())
      return;
    if (It != S.Held.end()) {
      S.HandedOver.insert(Key);
      if (It->Count > 1)
        --It->Count;
      else
        S.Held.erase(It);
    } else if (!S.Acquired.count(Key)) {
      S.CallerReleased.emplace(Key, L);
      if (L.Base != BaseKind::Local && ReleasedUnheldKeys.insert(Key).second)
        ReleasedUnheld.emplace(Key, L);
    }
    return;
  }
  if (It == S.Held.end()) {
    It = Match([&](const Entry &E) { return E.Key == Key; });
    if (It != S.Held.end()) {
      // Unlocked under a guard: fine if relocked before the guard dies.
      S.GuardReleased[Key] = {It->Guard, Loc};
      S.Held.erase(It);
      return;
    }
  }
  if (It == S.Held.end() && S.HandedOver.count(Key))
    return; // released here or by the callback, whichever ran
  if (It == S.Held.end()) {
    std::string Class = L.className();
    It = Match([&](const Entry &E) { return E.Lock.className() == Class && !E.Guard; });
  }
  if (It != S.Held.end()) {
    if (!It->NotOurs)
      S.ReleasedHeld.insert(It->Key);
    if (It->Count > 1 && !It->Guard)
      --It->Count;
    else
      S.Held.erase(It);
    return;
  }
  if (S.Acquired.count(Key)) {
    if (Recording)
      addFinding(UnlockUnheldCheck,
                 "unlock of " + quote(L.displayName()) + " which is not held on this path",
                 Loc, {}, {L.displayName()});
    return;
  }
  // Never acquired here: the function releases a lock its caller holds.
  ReleasedForCertain.insert(Key);
  ReleasedUnheldAt.try_emplace(Key, Loc);
  S.CallerReleased.emplace(Key, L);
  if (L.Base != BaseKind::Local && ReleasedUnheldKeys.insert(Key).second)
    ReleasedUnheld.emplace(Key, L);
}

void FunctionAnalysis::releaseGuard(State &S, const VarDecl *Guard) {
  llvm::erase_if(S.Held, [&](const Entry &E) { return E.Guard == Guard; });
  llvm::erase_if(S.MaybeHeld, [&](const auto &M) { return M.first == Guard; });
  S.NullGuards.erase(Guard);
}

void FunctionAnalysis::blocking(State &S, StringRef What, SourceLocation Loc,
                                std::vector<LockRef> Releases, int TimeoutParam) {
  if (!Recording)
    return;
  for (const BlockingCall &B : Summary.Blocking)
    if (B.At == frameAt(Loc) && B.What == What)
      return;
  Summary.Blocking.push_back({What.str(), frameAt(Loc), heldLocks(S), std::move(Releases),
                              releasedNow(S), TimeoutParam});
}

int FunctionAnalysis::ownParameter(const Expr *E) const {
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
    if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl()); P && P->getDeclContext() == FD)
      return int(P->getFunctionScopeIndex());
  return -1;
}

const VarDecl *FunctionAnalysis::guardVar(const Expr *E, const State &S) const {
  if (!E)
    return nullptr;
  E = E->IgnoreParenCasts()->IgnoreImplicit();
  // std::move(lk)
  if (const auto *CE = dyn_cast<CallExpr>(E); CE && CE->getNumArgs() == 1)
    if (const FunctionDecl *F = CE->getDirectCallee();
        F && F->isInStdNamespace() && F->getIdentifier() &&
        (F->getName() == "move" || F->getName() == "forward"))
      E = CE->getArg(0)->IgnoreParenCasts()->IgnoreImplicit();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (S.Guards.count(VD))
        return VD;
  return nullptr;
}

CallSite FunctionAnalysis::callSite(const FunctionDecl *Callee, SourceLocation L,
                                    const State &S) const {
  return callSiteTo(usrOf(Callee->getCanonicalDecl()), plainName(Callee), L, S);
}

CallSite FunctionAnalysis::callSiteTo(std::string Callee, std::string Name,
                                      SourceLocation L, const State &S) const {
  CallSite C;
  C.Callee = std::move(Callee);
  C.CalleeName = std::move(Name);
  C.At = frameAt(L);
  C.Held = heldLocks(S);
  C.Released = releasedNow(S);
  for (const auto &[Guard, L] : S.MaybeHeld)
    C.MaybeHeld.push_back(L);
  C.SingleThreaded = !S.NullGuards.empty();
  C.Guards = paramGuards(S);
  C.Sequential = Facts.sequential(TU.SM, L);
  C.Running = runningAt(L);
  if (SourceRange Loop = Facts.outerLoopAt(TU.SM, L); Loop.isValid()) {
    C.LoopFirstLine = TU.SM.getExpansionLineNumber(Loop.getBegin());
    C.LoopLastLine = TU.SM.getExpansionLineNumber(Loop.getEnd());
  }
  return C;
}

/// The facts in \p S about what \p Key names and the fields reached from it,
/// for parameter \p Param: `Key` (truthiness), `Key == N`, `Key != N`,
/// `Key->f...` and `Key.f...` likewise (conditionKey's forms).
static void factsAbout(const State &S, const std::string &Key, unsigned Param,
                       std::vector<ParamFact> &Out) {
  for (auto It = S.Facts.lower_bound(Key); It != S.Facts.end(); ++It) {
    StringRef Rest(It->first);
    if (!Rest.consume_front(Key))
      break;
    // The field path, up to a comparison.
    size_t PathEnd = Rest.find(' ');
    StringRef Path = Rest.substr(0, PathEnd);
    if (!Path.empty() && !Path.starts_with("->") && !Path.starts_with("."))
      continue; // another variable whose key starts with this one's
    StringRef Cmp = PathEnd == StringRef::npos ? StringRef() : Rest.substr(PathEnd + 1);
    if (Cmp.empty()) {
      Out.push_back({Param, Path.str(), !It->second, 0});
      continue;
    }
    bool Equal;
    if (Cmp.consume_front("== "))
      Equal = true;
    else if (Cmp.consume_front("!= "))
      Equal = false;
    else
      continue;
    int64_t Value;
    if (Cmp.getAsInteger(10, Value))
      continue;
    Out.push_back({Param, Path.str(), It->second == Equal, Value});
  }
}

/// For an argument `&X` (libuv's `uv__signal_stop(&loop->child_watcher)`),
/// what \p S knows of X's fields, as the callee sees them through its
/// pointer parameter \p Param: `X.signum == 0` is `->signum == 0`.
static void memberFactsAbout(const State &S, const Expr *A, unsigned Param,
                             std::vector<ParamFact> &Out) {
  const auto *UO = dyn_cast<UnaryOperator>(A->IgnoreParenImpCasts());
  if (!UO || UO->getOpcode() != UO_AddrOf || S.Facts.empty())
    return;
  std::string Key = conditionKey(UO->getSubExpr());
  if (Key.empty())
    return;
  std::vector<ParamFact> OfObject;
  factsAbout(S, Key, Param, OfObject);
  for (ParamFact &F : OfObject)
    if (StringRef(F.Path).starts_with(".")) {
      F.Path = "->" + F.Path.substr(1);
      Out.push_back(std::move(F));
    }
}

std::vector<ParamFact> FunctionAnalysis::paramGuards(const State &S) const {
  std::vector<ParamFact> Guards;
  if (S.Facts.empty())
    return Guards;
  for (const ParmVarDecl *P : FD->parameters())
    factsAbout(S, varConditionKey(P), P->getFunctionScopeIndex(), Guards);
  return Guards;
}

std::vector<std::string> FunctionAnalysis::runningAt(SourceLocation L) const {
  std::vector<std::string> Running;
  for (size_t I : Facts.runningAt(TU.SM, L)) {
    const FunctionDecl *Entry = Facts.Starts[I].Entry;
    Running.push_back(Entry ? usrOf(Entry->getCanonicalDecl()) : std::string());
  }
  llvm::sort(Running);
  Running.erase(std::unique(Running.begin(), Running.end()), Running.end());
  return Running;
}

/// The position of the millisecond timeout argument of the blocking call
/// \p Qual, for those whose 0 means "do not wait".
static std::optional<unsigned> timeoutArgument(StringRef Qual) {
  if (Qual == "poll")
    return 2;
  if (Qual == "epoll_wait" || Qual == "epoll_pwait")
    return 3;
  return std::nullopt;
}

/// The value of an argument that is a constant: an integer, enumerator or
/// bool constant expression, or a null pointer constant (0).
static std::optional<int64_t> constantArgument(const Expr *A, ASTContext &Ctx) {
  if (A->isValueDependent() || A->isTypeDependent())
    return std::nullopt;
  QualType T = A->getType();
  if (T->isIntegralOrEnumerationType()) {
    Expr::EvalResult R;
    if (A->EvaluateAsInt(R, Ctx) && R.Val.getInt().getSignificantBits() <= 64)
      return R.Val.getInt().getSExtValue();
    return std::nullopt;
  }
  if (T->isPointerType() && A->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
    return 0;
  return std::nullopt;
}

void FunctionAnalysis::recordCall(State &S, const CallExpr *CE,
                                  const FunctionDecl *Callee, const Expr *Object) {
  if (!Recording)
    return;
  CallSite C = callSite(Callee, CE->getExprLoc(), S);
  if (C.Callee.empty())
    return;
  C.InLoop = loopAround(CE).ReChecked;
  C.OnceOnly = inLazyInit(CE);
  // `Base::f()` and `object.f()` call f itself, whatever overrides it.
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE))
    if (const auto *ME = dyn_cast<MemberExpr>(MC->getCallee()->IgnoreParens())) {
      const auto *Var = dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts());
      C.Direct = ME->hasQualifier() ||
                 (!ME->isArrow() && Var && isa<VarDecl>(Var->getDecl()) &&
                  !Var->getDecl()->getType()->isReferenceType());
    }
  unsigned ArgBase = 0;
  if (isa<CXXOperatorCallExpr>(CE) && isa<CXXMethodDecl>(Callee)) {
    Object = CE->getArg(0);
    ArgBase = 1;
  }
  for (unsigned I = ArgBase; I < CE->getNumArgs(); ++I) {
    const Expr *A = CE->getArg(I);
    QualType T = A->getType();
    bool MayBeLock = T->isPointerType() || T->isRecordType() ||
                     (I - ArgBase < Callee->getNumParams() &&
                      Callee->getParamDecl(I - ArgBase)->getType()->isReferenceType());
    C.Args.push_back(MayBeLock ? resolveArgument(A) : std::nullopt);
    describeArgument(S, A, I - ArgBase, C);
    if (I - ArgBase < Callee->getNumParams() &&
        isCallbackType(Callee->getParamDecl(I - ArgBase)->getType()))
      if (std::string Fn = functionArgument(A); !Fn.empty()) {
        C.FnArgs.resize(I - ArgBase + 1);
        C.FnArgs[I - ArgBase] = std::move(Fn);
      }
  }
  if (Object)
    C.This = resolve(Object);
  Summary.Calls.push_back(std::move(C));
}

void FunctionAnalysis::describeArgument(const State &S, const Expr *A, unsigned Pos,
                                        CallSite &C) const {
  if (int P = ownParameter(A); P >= 0) {
    C.ParamArgs.resize(Pos + 1, -1);
    C.ParamArgs[Pos] = P;
  }
  if (std::optional<int64_t> V = constantArgument(A, Ctx))
    C.ArgFacts.push_back({Pos, "", true, *V});
  else if (std::string Key = conditionKey(A); !Key.empty() && !S.Facts.empty())
    factsAbout(S, Key, Pos, C.ArgFacts);
  else
    memberFactsAbout(S, A, Pos, C.ArgFacts);
}

const ParmVarDecl *FunctionAnalysis::callbackParam(const Expr *Callee) const {
  const auto *DRE = dyn_cast<DeclRefExpr>(calledPointer(Callee));
  const auto *P = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
  return P && P->getDeclContext() == FD && isCallbackType(P->getType()) ? P : nullptr;
}

const FieldDecl *FunctionAnalysis::containerElementCalled(const Expr *Callee) const {
  const Expr *E = Callee->IgnoreParenImpCasts();
  if (const auto *Sub = dyn_cast<CXXOperatorCallExpr>(E);
      Sub && Sub->getOperator() == OO_Subscript && Sub->getNumArgs() > 0)
    return callbackContainer(Sub->getArg(0));
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!V || !V->isLocalVarDecl())
    return nullptr;
  for (const DynTypedNode &P : Ctx.getParents(*V))
    if (const auto *DS = P.get<DeclStmt>())
      for (const DynTypedNode &L : Ctx.getParents(*DS))
        if (const auto *FS = L.get<CXXForRangeStmt>(); FS && FS->getLoopVariable() == V)
          return callbackContainer(FS->getRangeInit());
  return nullptr;
}

std::string FunctionAnalysis::functionArgument(const Expr *A) const {
  A = callbackArgument(A);
  if (const auto *LE = dyn_cast<LambdaExpr>(A))
    return usrOf(LE->getCallOperator()->getCanonicalDecl());
  const ValueDecl *D = declNamedBy(A);
  if (const auto *F = dyn_cast_or_null<FunctionDecl>(D))
    return usrOf(F->getCanonicalDecl());
  if (const auto *P = dyn_cast_or_null<ParmVarDecl>(D);
      P && P->getDeclContext() == FD && isCallbackType(P->getType()))
    return ParamCallPrefix + std::to_string(P->getFunctionScopeIndex());
  return {};
}

/// Whether \p Callee, the callee of a call through a field, is a field of
/// the calling method's own object (`this->cb`, `cb_`).
static bool throughThis(const Expr *Callee) {
  const auto *ME = dyn_cast<MemberExpr>(Callee->IgnoreParenImpCasts());
  return ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts());
}

void FunctionAnalysis::recordFieldCall(State &S, const CallExpr *CE) {
  const FieldDecl *F = functionPointerField(CE->getCallee());
  const ParmVarDecl *P = F ? nullptr : callbackParam(CE->getCallee());
  const VarDecl *V = F || P ? nullptr : functionPointerVar(CE->getCallee());
  if (F) {
    if (Recording)
      recordCallThrough(S, CE, fieldCalleeKey(F), fieldName(F), 0,
                        throughThis(CE->getCallee()));
    handOverThrough(S, CE, fieldCalleeKey(F), 0);
    applyLockMethod(S, CE, fieldCalleeKey(F));
  } else if (V) {
    if (Recording)
      recordCallThrough(S, CE, varCalleeKey(V), V->getName().str(), 0);
    handOverThrough(S, CE, varCalleeKey(V), 0);
    applyLockMethod(S, CE, varCalleeKey(V));
  } else if (P && Recording) {
    recordCallThrough(S, CE, ParamCallPrefix + std::to_string(P->getFunctionScopeIndex()),
                      P->getName().str(), 0);
  }
}

std::vector<std::optional<LockRef>> FunctionAnalysis::callArgs(const CallExpr *CE,
                                                               unsigned ArgBase) const {
  std::vector<std::optional<LockRef>> Args;
  for (unsigned I = ArgBase; I < CE->getNumArgs(); ++I) {
    const Expr *A = CE->getArg(I);
    QualType T = A->getType();
    Args.push_back(T->isPointerType() || T->isRecordType() ? resolveArgument(A) : std::nullopt);
  }
  return Args;
}

void FunctionAnalysis::recordCallThrough(State &S, const CallExpr *CE, std::string Key,
                                         std::string Name, unsigned ArgBase, bool ThroughThis) {
  if (Key.empty())
    return;
  CallSite C = callSiteTo(std::move(Key), std::move(Name), CE->getExprLoc(), S);
  C.ThroughThis = ThroughThis;
  C.InLoop = loopAround(CE).ReChecked;
  C.OnceOnly = inLazyInit(CE);
  C.Args = callArgs(CE, ArgBase);
  // A callback's caller knows things of what it passes as well (libmosquitto
  // sets `mosq->in_callback = true` around `mosq->on_connect(mosq, ...)`,
  // and what the callback calls re-takes the lock only when it is false).
  for (unsigned I = ArgBase; I < CE->getNumArgs(); ++I)
    describeArgument(S, CE->getArg(I), I - ArgBase, C);
  Summary.Calls.push_back(std::move(C));
}

void FunctionAnalysis::applyLockMethod(State &S, const CallExpr *CE, const std::string &Key) {
  auto It = TU.Opts.PointerCallEffects.find(Key);
  if (Key.empty() || It == TU.Opts.PointerCallEffects.end())
    return;
  Effect Eff;
  for (const HeldLock &H : It->second.ReturnsHolding)
    Eff.Acquires.push_back({H.Lock, H.Mode});
  Eff.Releases = It->second.ReleasesCallers;
  applyEffect(Eff, CE, nullptr, S, CE->getExprLoc());
}

void FunctionAnalysis::handOverThrough(State &S, const CallExpr *CE, const std::string &Key,
                                       unsigned ArgBase) {
  auto It = TU.Opts.PointerCallReleases.find(Key);
  if (Key.empty() || It == TU.Opts.PointerCallReleases.end())
    return;
  const std::vector<std::optional<LockRef>> Args = callArgs(CE, ArgBase);
  for (const LockRef &R : It->second)
    if (LockRef L = substitute(R, Args, std::nullopt); L.precise())
      release(S, L, CE->getExprLoc(), /*HandedOver=*/true);
}

//===----------------------------------------------------------------------===//
// Waits, notifies, joins (issue 8)
//===----------------------------------------------------------------------===//

void FunctionAnalysis::condCall(const CondCall &C, const CallExpr *CE, State &S) {
  SourceLocation Loc = CE->getExprLoc();
  Frame At = frameAt(Loc);
  // An unnamed condition variable would merge every condition variable of
  // its type into one node: leave it out of the graph.
  std::optional<LockRef> CV = resolve(C.CondVar);
  if (CV)
    CV->Kind = LockKind::CondVar;
  if (C.Op == CondOp::Notify) {
    if (!CV)
      return;
    for (const NotifySite &N : Summary.Notifies)
      if (N.At == At)
        return;
    std::vector<std::string> Before;
    for (const std::string &Key : S.Acquired)
      if (llvm::none_of(S.Held, [&](const Entry &E) { return E.Key == Key; }))
        Before.push_back(Key);
    Summary.Notifies.push_back({*CV, At, heldLocks(S), {}});
    NotifyBefore.push_back(std::move(Before));
    return;
  }
  for (const WaitSite &W : Summary.Waits)
    if (W.At == At)
      return;
  if (!C.HasPredicate) {
    LoopVerdict V = loopAround(CE);
    if (!V.ReChecked) {
      std::vector<FindingNote> Notes;
      if (V.CheckedOnce)
        Notes.push_back({frameAt(V.CheckedOnce->getBeginLoc()),
                         "the condition is checked once here, and not again after "
                         "the wait returns"});
      std::vector<std::string> Locks;
      if (CV)
        Locks.push_back(CV->displayName());
      addFinding(CondWaitNoLoopCheck,
                 quote(C.What) + (CV ? " on " + quote(CV->displayName()) : "") +
                     " is not in a loop that re-checks its condition (spurious and "
                     "lost wake-ups)",
                 Loc, std::move(Notes), std::move(Locks));
      // No check at all around it: maybe a wrapper whose callers loop; the
      // link step decides.
      if (!V.CheckedOnce && !Summary.Findings.empty() &&
          Summary.Findings.back().Check == CondWaitNoLoopCheck &&
          Summary.Findings.back().Location == At) {
        Summary.UncheckedWaits.push_back(std::move(Summary.Findings.back()));
        Summary.Findings.pop_back();
      }
    }
  }
  if (!CV)
    return;
  WaitSite W;
  W.Kind = LockKind::CondVar;
  W.CondVar = *CV;
  W.What = C.What;
  W.At = At;
  W.Timed = C.Timed;
  W.Held = heldLocks(S);
  W.Releases = releasedBy(C.Mutex, S);
  Summary.Waits.push_back(std::move(W));
}

std::vector<LockRef> FunctionAnalysis::releasedBy(const Expr *Mutex, const State &S) const {
  std::vector<LockRef> Rel;
  if (const VarDecl *G = guardVar(Mutex, S))
    Rel = S.Guards.at(G).Locks;
  else if (auto R = resolve(Mutex))
    Rel.push_back(*R);
  return Rel;
}

bool FunctionAnalysis::onlyTested(const ParmVarDecl *P) {
  const ParentMap *PM = parents();
  if (!PM)
    return false;
  bool Only = true, Used = false;
  std::function<void(const Stmt *)> Visit = [&](const Stmt *St) {
    if (!St || !Only)
      return;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(St); DRE && DRE->getDecl() == P) {
      Used = true;
      // Up through casts, parentheses, `!`, `&&` and `||` to the condition
      // of an if.
      const Stmt *Child = DRE;
      const Stmt *Up = PM->getParent(Child);
      while (Up && (isa<ImplicitCastExpr, ParenExpr>(Up) ||
                    (isa<UnaryOperator>(Up) && cast<UnaryOperator>(Up)->getOpcode() == UO_LNot) ||
                    (isa<BinaryOperator>(Up) && cast<BinaryOperator>(Up)->isLogicalOp()))) {
        Child = Up;
        Up = PM->getParent(Up);
      }
      const auto *If = dyn_cast_or_null<IfStmt>(Up);
      Only = If && If->getCond() == Child;
      return;
    }
    for (const Stmt *C : St->children())
      Visit(C);
  };
  Visit(FD->getBody());
  return Only && Used;
}

std::vector<std::pair<unsigned, bool>> FunctionAnalysis::paramBranchesAround(SourceLocation Loc) {
  std::vector<std::pair<unsigned, bool>> Found;
  const SourceManager &SM = Ctx.getSourceManager();
  auto Holds = [&](const Stmt *Branch) {
    return Branch && !SM.isBeforeInTranslationUnit(Loc, Branch->getBeginLoc()) &&
           !SM.isBeforeInTranslationUnit(Branch->getEndLoc(), Loc);
  };
  std::function<void(const Stmt *)> Visit = [&](const Stmt *St) {
    if (!St)
      return;
    if (const auto *If = dyn_cast<IfStmt>(St)) {
      bool Value = true;
      const Expr *Cond = If->getCond()->IgnoreParenImpCasts();
      while (const auto *Not = dyn_cast<UnaryOperator>(Cond)) {
        if (Not->getOpcode() != UO_LNot)
          break;
        Value = !Value;
        Cond = Not->getSubExpr()->IgnoreParenImpCasts();
      }
      if (const auto *DRE = dyn_cast<DeclRefExpr>(Cond))
        if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl())) {
          if (Holds(If->getThen()))
            Found.push_back({P->getFunctionScopeIndex(), Value});
          else if (Holds(If->getElse()))
            Found.push_back({P->getFunctionScopeIndex(), !Value});
        }
    }
    for (const Stmt *C : St->children())
      Visit(C);
  };
  if (Loc.isValid() && Loc.isFileID())
    Visit(FD->getBody());
  return Found;
}

const ParentMap *FunctionAnalysis::parents() {
  const Stmt *Body = FD->getBody();
  if (!Parents && Body)
    Parents = std::make_unique<ParentMap>(const_cast<Stmt *>(Body));
  return Parents.get();
}

LoopVerdict FunctionAnalysis::loopAround(const Stmt *St) {
  return parents() ? waitLoop(*parents(), St, Ctx) : LoopVerdict{};
}

/// The member or global \p E names (through parentheses, casts and a
/// smart pointer's conversion to bool).
static const ValueDecl *storedIn(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
      MC && isa_and_nonnull<CXXConversionDecl>(MC->getMethodDecl()))
    E = MC->getImplicitObjectArgument()->IgnoreParenImpCasts();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return ME->getMemberDecl();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()); V && V->hasGlobalStorage())
      return V;
  return nullptr;
}

/// Whether \p S assigns \p D.
static bool assigns(const Stmt *S, const ValueDecl *D) {
  if (!S)
    return false;
  if (const auto *BO = dyn_cast<BinaryOperator>(S);
      BO && BO->getOpcode() == BO_Assign && storedIn(BO->getLHS()) == D)
    return true;
  // A smart pointer's operator=, or its reset(...).
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
      OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 && storedIn(OC->getArg(0)) == D)
    return true;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
      MC && MC->getMethodDecl() && MC->getMethodDecl()->getIdentifier() &&
      MC->getMethodDecl()->getName() == "reset" && MC->getNumArgs() == 1 &&
      storedIn(MC->getImplicitObjectArgument()) == D)
    return true;
  return llvm::any_of(S->children(), [&](const Stmt *C) { return assigns(C, D); });
}

bool FunctionAnalysis::inLazyInit(const Stmt *St) {
  const ParentMap *PM = parents();
  if (!PM)
    return false;
  for (const Stmt *Child = St, *P = PM->getParent(St); P; Child = P, P = PM->getParent(P)) {
    const auto *If = dyn_cast<IfStmt>(P);
    if (!If || If->getThen() != Child)
      continue;
    // `!x`, `x == nullptr`, `nullptr == x` (NULL, 0) of a member or global
    // x that the branch sets.
    const Expr *Cond = If->getCond()->IgnoreParenImpCasts();
    const Expr *Tested = nullptr;
    if (const auto *UO = dyn_cast<UnaryOperator>(Cond); UO && UO->getOpcode() == UO_LNot)
      Tested = UO->getSubExpr();
    else {
      auto IsNull = [&](const Expr *E) {
        return E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull) !=
               Expr::NPCK_NotNull;
      };
      const Expr *L = nullptr, *R = nullptr;
      if (const auto *BO = dyn_cast<BinaryOperator>(Cond); BO && BO->getOpcode() == BO_EQ) {
        L = BO->getLHS();
        R = BO->getRHS();
      } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Cond);
                 OC && OC->getOperator() == OO_EqualEqual && OC->getNumArgs() == 2) {
        L = OC->getArg(0); // a smart pointer == nullptr
        R = OC->getArg(1);
      }
      if (L && IsNull(R))
        Tested = L;
      else if (L && IsNull(L))
        Tested = R;
    }
    // A pointer, or a smart pointer (a class with operator->; not a flag
    // such as std::atomic<bool>, which a start and a stop set again and
    // again), that the branch sets.
    const ValueDecl *D = Tested ? storedIn(Tested) : nullptr;
    auto IsSmartPointer = [](QualType T) {
      const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
      return RD && RD->hasDefinition() && llvm::any_of(RD->methods(), [](const CXXMethodDecl *M) {
               return M->getOverloadedOperator() == OO_Arrow;
             });
    };
    if (D && (D->getType()->isPointerType() || IsSmartPointer(D->getType())) &&
        assigns(If->getThen(), D))
      return true;
  }
  return false;
}

void FunctionAnalysis::joinCall(const CallExpr *CE, const Expr *Object, State &S) {
  std::optional<ThreadJoin> J = threadJoinOf(CE, Object);
  if (!J)
    return;
  // Started elsewhere, more than once, or running an entry we cannot name.
  int Start = Facts.startOf(J->Handle);
  if (Start < 0 || SpawnOf[Start] < 0 || Summary.Spawns[SpawnOf[Start]].Entry.empty())
    return;
  // A generic lambda's call operator is a template: no body of ours.
  if (const auto *MD = dyn_cast<CXXMethodDecl>(Facts.Starts[Start].Entry);
      MD && MD->getParent()->isLambda() &&
      (MD->isDependentContext() || MD->getDescribedFunctionTemplate()))
    return;
  WaitSite W;
  W.Kind = LockKind::Thread;
  W.Thread = SpawnOf[Start];
  W.What = plainName(CE->getDirectCallee());
  W.At = frameAt(CE->getExprLoc());
  W.Timed = J->Timed;
  W.Held = heldLocks(S);
  for (const WaitSite &Old : Summary.Waits)
    if (Old.At == W.At)
      return;
  Summary.Waits.push_back(std::move(W));
}

/// The lock-graph name of the threads running \p Entry: "thread:worker",
/// "thread:lambda at a.cpp:12:5".
std::string FunctionAnalysis::threadName(const FunctionDecl *Entry) const {
  if (const auto *MD = dyn_cast<CXXMethodDecl>(Entry); MD && MD->getParent()->isLambda()) {
    // The closure class stands where the lambda begins.
    Frame L = frameAt(MD->getParent()->getLocation());
    return "thread:lambda at " + sys::path::filename(L.File).str() + ":" +
           std::to_string(L.Line) + ":" + std::to_string(L.Column);
  }
  return "thread:" + plainName(Entry);
}

//===----------------------------------------------------------------------===//
// Calls
//===----------------------------------------------------------------------===//

void FunctionAnalysis::applyEffect(const Effect &Eff, const CallExpr *CE,
                                   const Expr *Object, State &S, SourceLocation Loc) {
  std::vector<std::optional<LockRef>> Args;
  unsigned ArgBase = 0;
  if (isa<CXXOperatorCallExpr>(CE) && CE->getDirectCallee() &&
      isa<CXXMethodDecl>(CE->getDirectCallee())) {
    Object = CE->getArg(0);
    ArgBase = 1;
  }
  for (unsigned I = ArgBase; I < CE->getNumArgs(); ++I)
    Args.push_back(resolveArgument(CE->getArg(I)));
  std::optional<LockRef> This;
  if (Object)
    This = resolve(Object);
  auto Map = [&](const LockRef &R) {
    // A wrapper's own member (this->mu_, no pointer hop) stands for the
    // wrapper object itself: the object is the lock.
    if (!Eff.FromAttributes && R.Base == BaseKind::This && This) {
      bool Internal = true;
      for (const PathElem &P : R.Path)
        Internal &= !P.ThroughPointer;
      if (Internal) {
        LockRef W = *This;
        W.PointerValue = false;
        if (W.Kind == LockKind::Unknown)
          W.Kind = R.Kind;
        return W;
      }
    }
    return substitute(R, Args, This);
  };
  // A lock released and retaken by the callee (a function that drops a lock
  // its caller holds around slow work) is no net change.
  std::vector<LockRef> Released, Acquired;
  std::vector<AcquireMode> Modes;
  for (const LockRef &R : Eff.Releases)
    Released.push_back(Map(R));
  // The local pointer variable each lock is taken through, when the callee
  // takes it only if that pointer is not null (Effect::HeldUnlessNullParams).
  std::vector<const VarDecl *> UnlessNull;
  for (const auto &[R, Mode] : Eff.Acquires) {
    Acquired.push_back(Map(R));
    Modes.push_back(Mode);
    const VarDecl *Var = nullptr;
    if (R.Base == BaseKind::Param && llvm::is_contained(Eff.HeldUnlessNullParams, R.Index) &&
        unsigned(R.Index) + ArgBase < CE->getNumArgs())
      if (const auto *Arg = dyn_cast<DeclRefExpr>(
              CE->getArg(unsigned(R.Index) + ArgBase)->IgnoreParenImpCasts()))
        if (const auto *V = dyn_cast<VarDecl>(Arg->getDecl());
            V && V->hasLocalStorage() && V->getType()->isPointerType())
          Var = V;
    UnlessNull.push_back(Var);
  }
  for (size_t I = 0; I < Released.size(); ++I) {
    auto Same = std::find(Acquired.begin(), Acquired.end(), Released[I]);
    if (Same != Acquired.end()) {
      Modes.erase(Modes.begin() + (Same - Acquired.begin()));
      UnlessNull.erase(UnlessNull.begin() + (Same - Acquired.begin()));
      Acquired.erase(Same);
      continue;
    }
    release(S, Released[I], Loc);
  }
  for (const LockRef &R : Eff.HandsOver)
    release(S, Map(R), Loc, /*HandedOver=*/true);
  for (const Effect::FlagAcquire &F : Eff.HeldWhenFlag) {
    if (F.Param + ArgBase >= CE->getNumArgs())
      continue;
    const Expr *Arg = CE->getArg(F.Param + ArgBase);
    const std::optional<bool> Truth = constantTruth(Arg);
    if (Truth && *Truth != F.When)
      continue;
    const LockRef L = Map(F.Lock);
    acquire(S, {L}, Loc, F.Mode, false, nullptr);
    if (Truth)
      continue;
    // `find(t, key, !locked)`: held where `locked` is false.
    bool When = F.When;
    const Expr *Tested = Arg->IgnoreParenImpCasts();
    for (const auto *Not = dyn_cast<UnaryOperator>(Tested); Not && Not->getOpcode() == UO_LNot;
         Not = dyn_cast<UnaryOperator>(Tested)) {
      When = !When;
      Tested = Not->getSubExpr()->IgnoreParenImpCasts();
    }
    const std::string Key = conditionKey(Tested);
    if (Key.empty())
      continue;
    for (Entry &E : S.Held)
      if (E.Key == L.key() && !E.Guard && E.Must && !E.Try) {
        E.Must = false;
        E.Conds = {{Key, When}};
      }
  }
  if (Eff.Try && !Acquired.empty()) {
    // Held on the success branch only.
    acquire(S, Acquired, Loc, Modes.front(), true, nullptr);
    Pending = {CE, Eff.TrySuccess, {}};
    for (const LockRef &L : Acquired)
      Pending.Keys.push_back(L.key());
    return;
  }
  for (size_t I = 0; I < Acquired.size(); ++I) {
    acquire(S, {Acquired[I]}, Loc, Modes[I], false, nullptr);
    if (!UnlessNull[I])
      continue;
    const std::string Key = Acquired[I].key();
    for (Entry &E : S.Held)
      if (E.Key == Key && !E.Guard && E.Must && !E.Try) {
        E.Must = false;
        E.Conds = {{varConditionKey(UnlessNull[I]), true}};
      }
  }
  // `rv = my_lock(m); if (rv) ...`: held where the result is 0, as after
  // the lock call (noteLockResult).
  if (Eff.ResultIsLockResult && !Acquired.empty()) {
    Pending = {CE, /*SuccessIsTrue=*/false, {}, /*Blocking=*/true};
    for (const LockRef &L : Acquired)
      Pending.Keys.push_back(L.key());
  }
}

bool FunctionAnalysis::handleAttributes(const CallExpr *CE, const FunctionDecl *Callee,
                                        const Expr *Object, State &S) {
  Effect Eff;
  Eff.FromAttributes = true;
  bool Try = false;
  bool TrySuccess = true;
  // Attribute arguments are expressions over the callee's parameters and
  // members; resolve them in the callee's space, then substitute.
  FunctionAnalysis CalleeSpace(TU, Callee);
  auto Args = [&](auto Range) {
    std::vector<LockRef> Out;
    for (const Expr *A : Range)
      if (auto R = CalleeSpace.resolve(A))
        Out.push_back(*R);
    if (Out.empty()) {
      LockRef Self;
      Self.Base = BaseKind::This;
      if (const auto *MD = dyn_cast<CXXMethodDecl>(Callee))
        Self.Name = plainName(MD->getParent());
      Out.push_back(Self);
    }
    return Out;
  };
  bool Any = false;
  for (const Attr *A : Callee->attrs()) {
    if (const auto *AA = dyn_cast<AcquireCapabilityAttr>(A)) {
      for (LockRef &R : Args(AA->args()))
        Eff.Acquires.push_back({R, AA->isShared() ? AcquireMode::Shared : AcquireMode::Exclusive});
      Any = true;
    } else if (const auto *RA = dyn_cast<ReleaseCapabilityAttr>(A)) {
      for (LockRef &R : Args(RA->args()))
        Eff.Releases.push_back(R);
      Any = true;
    } else if (const auto *TA = dyn_cast<TryAcquireCapabilityAttr>(A)) {
      for (LockRef &R : Args(TA->args()))
        Eff.Acquires.push_back({R, TA->isShared() ? AcquireMode::Shared : AcquireMode::Exclusive});
      Try = true;
      if (const auto *B = dyn_cast<CXXBoolLiteralExpr>(TA->getSuccessValue()->IgnoreParenCasts()))
        TrySuccess = B->getValue();
      else if (const auto *I = dyn_cast<IntegerLiteral>(TA->getSuccessValue()->IgnoreParenCasts()))
        TrySuccess = I->getValue().getBoolValue();
      Any = true;
    }
  }
  if (!Any)
    return false;
  Eff.Try = Try;
  Eff.TrySuccess = TrySuccess;
  applyEffect(Eff, CE, Object, S, CE->getExprLoc());
  return true;
}

void FunctionAnalysis::handleCall(const CallExpr *CE, State &S) {
  const FunctionDecl *Callee = CE->getDirectCallee();
  if (!Callee) {
    recordFieldCall(S, CE);
    return;
  }
  // Calling a std::function parameter calls what the caller passed for it;
  // calling a std::function field, what the program stores in it.
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE);
      OC && OC->getOperator() == OO_Call && OC->getNumArgs() > 0) {
    if (const ParmVarDecl *P = callbackParam(OC->getArg(0));
        P && !P->getType()->isFunctionPointerType()) {
      if (Recording)
        recordCallThrough(S, CE, ParamCallPrefix + std::to_string(P->getFunctionScopeIndex()),
                          P->getName().str(), 1);
      return;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(OC->getArg(0)->IgnoreParenImpCasts()))
      if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
          F && isCallbackType(F->getType()) && !F->getType()->isFunctionPointerType()) {
        if (Recording)
          recordCallThrough(S, CE, fieldCalleeKey(F), fieldName(F), 1, throughThis(ME));
        handOverThrough(S, CE, fieldCalleeKey(F), 1);
        return;
      }
    // An element of a container of callbacks: `callbacks_[i]()`, or the
    // variable of a range-for over one (`for (auto &Cb : callbacks_) Cb();`).
    if (const FieldDecl *F = containerElementCalled(OC->getArg(0))) {
      if (Recording)
        recordCallThrough(S, CE, fieldCalleeKey(F), fieldName(F), 1);
      return;
    }
  }
  SourceLocation Loc = CE->getExprLoc();
  const Expr *Object = nullptr;
  const CXXRecordDecl *RD = nullptr;
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE)) {
    Object = MCE->getImplicitObjectArgument();
    RD = MCE->getMethodDecl() ? MCE->getMethodDecl()->getParent() : nullptr;
  } else if (const auto *MD = dyn_cast<CXXMethodDecl>(Callee);
             MD && isa<CXXOperatorCallExpr>(CE) && CE->getNumArgs() > 0) {
    RD = MD->getParent();
  }
  StringRef Name = Callee->getIdentifier() ? Callee->getName() : StringRef();

  auto Arg = [&](unsigned I) { return I < CE->getNumArgs() ? CE->getArg(I) : nullptr; };
  auto Lock = [&](const Expr *E, LockKind K) {
    LockRef R = resolveOrUnknown(E);
    if (R.Kind == LockKind::Unknown)
      R.Kind = K;
    if (R.Kind == LockKind::RecursiveMutex && R.Base == BaseKind::Global)
      noteRecursive(R);
    return R;
  };
  auto TryAcquire = [&](std::vector<LockRef> Locks, AcquireMode Mode, bool SuccessIsTrue,
                        const VarDecl *Guard) {
    acquire(S, Locks, Loc, Mode, true, Guard);
    Pending = {CE, SuccessIsTrue, {}};
    for (const LockRef &L : Locks)
      Pending.Keys.push_back(L.key());
  };

  // Waits, notifies and joins (issue 8): recorded, then handled as below
  // (a wait is also a blocking call).
  CondCall Cond = classifyCondCall(CE, Object);
  if (Recording) {
    if (Cond.Op != CondOp::None)
      condCall(Cond, CE, S);
    else
      joinCall(CE, Object, S);
  }
  // Condition-variable waits block, releasing the waited-on lock meanwhile.
  if (Cond.Op == CondOp::Wait) {
    blocking(S, Cond.What, Loc, releasedBy(Cond.Mutex, S));
    return;
  }

  // std mutexes.
  if (RD && isStdRecord(RD, {"mutex", "recursive_mutex", "timed_mutex",
                             "recursive_timed_mutex", "shared_mutex",
                             "shared_timed_mutex"})) {
    LockRef L = Lock(Object, lockKindOf(Ctx.getRecordType(RD)));
    if (Name == "lock")
      acquire(S, {L}, Loc, AcquireMode::Exclusive, false, nullptr);
    else if (Name == "lock_shared")
      acquire(S, {L}, Loc, AcquireMode::Shared, false, nullptr);
    else if (Name.starts_with("try_lock"))
      TryAcquire({L}, Name.contains("shared") ? AcquireMode::Shared : AcquireMode::Exclusive,
                 true, nullptr);
    else if (Name == "unlock" || Name == "unlock_shared")
      release(S, L, Loc);
    return;
  }
  // std::unique_lock / shared_lock members.
  if (RD && isStdRecord(RD, {"unique_lock", "shared_lock"})) {
    const VarDecl *G = guardVar(Object, S);
    if (!G)
      return;
    GuardInfo &GI = S.Guards[G];
    if (Name == "lock")
      acquire(S, GI.Locks, Loc, GI.Mode, false, G);
    else if (Name.starts_with("try_lock"))
      TryAcquire(GI.Locks, GI.Mode, true, G);
    else if (Name == "unlock") {
      bool Owns = false;
      for (const Entry &E : S.Held)
        Owns |= E.Guard == G;
      if (!Owns && Recording && !GI.Locks.empty() &&
          S.Acquired.count(GI.Locks.front().key()))
        addFinding(UnlockUnheldCheck,
                   "unlock of " + quote(GI.Locks.front().displayName()) + " through " +
                       quote(G->getNameAsString()) + " which does not own it on this path",
                   Loc, {}, {GI.Locks.front().displayName()});
      releaseGuard(S, G);
    } else if (Name == "release") {
      for (Entry &E : S.Held)
        if (E.Guard == G)
          E.Guard = nullptr;
      S.Guards.erase(G);
    }
    return;
  }

  bool IsC = !RD && Callee->getDeclContext()->getRedeclContext()->isTranslationUnit();
  if (IsC && Name == "pthread_mutex_init" && CE->getNumArgs() == 2) {
    const ValueDecl *Attr = objectNamed(CE->getArg(1));
    if (Attr && (RecursiveAttrs.count(Attr) || TU.recursiveGlobalAttr(Attr))) {
      if (std::optional<LockRef> M = resolve(Arg(0)))
        noteRecursive(*M);
      // The member made recursive, by its struct, also when the lock is
      // named by the struct that wraps it (SQLite's `&p->mutex` in a
      // `sqlite3_mutex`): Linker::computeRecursive.
      if (const auto *Field = dyn_cast_or_null<FieldDecl>(objectNamed(Arg(0)))) {
        LockRef Member;
        Member.Base = BaseKind::Unknown;
        Member.Name = plainName(Field->getParent());
        Member.Path.push_back({Field->getNameAsString(), plainName(Field->getParent()), true});
        noteRecursive(Member);
      }
    }
    return;
  }
  if (IsC && Name.starts_with("pthread_") ) {
    static const std::pair<StringRef, int> Ops[] = {
        {"pthread_mutex_lock", 0},     {"pthread_mutex_timedlock", 1},
        {"pthread_mutex_clocklock", 1}, {"pthread_mutex_trylock", 1},
        {"pthread_mutex_unlock", 2},   {"pthread_rwlock_rdlock", 3},
        {"pthread_rwlock_tryrdlock", 4}, {"pthread_rwlock_timedrdlock", 4},
        {"pthread_rwlock_clockrdlock", 4}, {"pthread_rwlock_wrlock", 0},
        {"pthread_rwlock_trywrlock", 1}, {"pthread_rwlock_timedwrlock", 1},
        {"pthread_rwlock_clockwrlock", 1}, {"pthread_rwlock_unlock", 2},
        {"pthread_spin_lock", 0},      {"pthread_spin_trylock", 1},
        {"pthread_spin_unlock", 2}};
    for (const auto &[OpName, Op] : Ops) {
      if (Name != OpName)
        continue;
      LockRef L = Lock(Arg(0), LockKind::Unknown);
      AcquireMode M = Op >= 3 ? AcquireMode::Shared : AcquireMode::Exclusive;
      if (Op == 0 || Op == 3) {
        acquire(S, {L}, Loc, M, false, nullptr);
        Pending = {CE, /*SuccessIsTrue=*/false, {L.key()}, /*Blocking=*/true};
      } else if (Op == 1 || Op == 4)
        TryAcquire({L}, M, /*SuccessIsTrue=*/false, nullptr);
      else
        release(S, L, Loc);
      return;
    }
  }
  if (IsC && Name.starts_with("mtx_")) {
    if (Name == "mtx_lock") {
      LockRef L = Lock(Arg(0), LockKind::C11Mutex);
      acquire(S, {L}, Loc, AcquireMode::Exclusive, false, nullptr);
      Pending = {CE, /*SuccessIsTrue=*/false, {L.key()}, /*Blocking=*/true};
      return;
    }
    if (Name == "mtx_trylock" || Name == "mtx_timedlock") {
      TryAcquire({Lock(Arg(0), LockKind::C11Mutex)}, AcquireMode::Exclusive, false, nullptr);
      return;
    }
    if (Name == "mtx_unlock") {
      release(S, Lock(Arg(0), LockKind::C11Mutex), Loc);
      return;
    }
  }
  // std::lock(a, b, ...) and std::try_lock: acquired together, no order.
  if (Callee->isInStdNamespace() && (Name == "lock" || Name == "try_lock") && !RD) {
    std::vector<LockRef> Locks;
    std::vector<const VarDecl *> Guards;
    for (unsigned I = 0; I < CE->getNumArgs(); ++I) {
      if (const VarDecl *G = guardVar(Arg(I), S)) {
        acquire(S, S.Guards[G].Locks, Loc, AcquireMode::Exclusive, Name == "try_lock", G);
        continue;
      }
      Locks.push_back(Lock(Arg(I), LockKind::Unknown));
    }
    if (Name == "lock")
      acquire(S, Locks, Loc, AcquireMode::Exclusive, false, nullptr);
    else
      acquire(S, Locks, Loc, AcquireMode::Exclusive, true, nullptr);
    return;
  }

  // Blocking functions by qualified name.
  std::string Qual = plainName(Callee);
  // -D_FORTIFY_SOURCE under clang turns printf(...) into a call of
  // __printf_chk by a macro; it is the same call (the runtime reports it so).
  if (StringRef Fortified(Qual); Fortified.consume_front("__") && Fortified.consume_back("_chk") &&
                                 TU.Opts.BlockingFunctions.count(Fortified.str()))
    Qual = Fortified.str();
  if (TU.Opts.BlockingFunctions.count(Qual)) {
    const bool NonBlocking = isDescriptorIo(Qual) &&
                             (Facts.NonBlockingIo ||
                              (CE->getNumArgs() && TU.Descriptors.nonBlocking(CE->getArg(0))));
    if (NonBlocking)
      return;
    // An unlock or a try of a file lock returns at once: flock with
    // LOCK_UN or LOCK_NB (APR's proc_mutex unlock), lockf with anything but
    // F_LOCK.
    if ((Qual == "flock" || Qual == "lockf") && CE->getNumArgs() >= 2)
      if (std::optional<int64_t> Op = constantArgument(CE->getArg(1), Ctx);
          Op && (Qual == "flock" ? (*Op & (LOCK_NB | LOCK_UN)) != 0 : *Op != F_LOCK))
        return;
    // A poll with a timeout of 0 returns at once; with the function's own
    // timeout parameter, it blocks as its callers ask (CallSite::ParamArgs).
    int TimeoutParam = -1;
    if (std::optional<unsigned> T = timeoutArgument(Qual); T && *T < CE->getNumArgs()) {
      const Expr *Timeout = CE->getArg(*T);
      if (constantArgument(Timeout, Ctx) == 0)
        return;
      TimeoutParam = ownParameter(Timeout);
    }
    if (inLazyInit(CE))
      return; // once, the first time (CallSite::OnceOnly)
    blocking(S, Qual, Loc, {}, TimeoutParam);
    return;
  }
  // Annotated functions (thread-safety attributes).
  if (handleAttributes(CE, Callee, Object, S))
    return;
  // A method of a guard of the program's own called on it (`lock.unlock()`
  // on Poco's ScopedLockWithUnlock) releases, or takes again, what the
  // guard holds.
  if (const VarDecl *G = Object && isa<CXXMethodDecl>(Callee) ? guardVar(Object, S) : nullptr)
    if (const FunctionDecl *Def = Callee->getDefinition(); Def && TU.shouldAnalyze(Def)) {
      const Effect &Eff = TU.analyze(Def);
      if (Eff.Acquires.empty() && (!Eff.Releases.empty() || !Eff.HandsOver.empty())) {
        releaseGuard(S, G);
        return;
      }
      if (!Eff.Acquires.empty() && Eff.Releases.empty()) {
        const GuardInfo Info = S.Guards[G];
        acquire(S, Info.Locks, Loc, Info.Mode, false, G);
        return;
      }
    }
  SourceLocation CalleeLoc = TU.SM.getExpansionLoc(Callee->getLocation());
  if (CalleeLoc.isValid() && TU.SM.isInSystemHeader(CalleeLoc))
    return;
  // A visible function whose net effect is to acquire or release a lock
  // (a lock wrapper): apply it here instead of recording a call.
  if (const FunctionDecl *Def = Callee->getDefinition(); Def && TU.shouldAnalyze(Def)) {
    const Effect &Eff = TU.analyze(Def);
    if (Eff.NoReturn) {
      recordCall(S, CE, Callee, Object);
      S.Reached = false;
      return;
    }
    if (!Eff.empty()) {
      Effect Copy = Eff;
      // A function that does more than take or drop the lock (it also
      // acquires others inside) is a call too: what it acquires keeps the
      // locks held here in front of it.
      if (!Copy.Pure)
        recordCall(S, CE, Callee, Object);
      applyEffect(Copy, CE, Object, S, Loc);
      return;
    }
  } else if (!Def && !TU.Opts.ExternalEffects.empty()) {
    // Defined in another TU: its effect from the first pass. The call is
    // still recorded, as in the first pass, so that what the callee does
    // inside (pause_threads() taking five locks in turn) keeps the locks
    // held here in front of it.
    auto It = TU.Opts.ExternalEffects.find(usrOf(Callee));
    if (It != TU.Opts.ExternalEffects.end()) {
      recordCall(S, CE, Callee, Object);
      Effect Copy;
      for (const HeldLock &H : It->second.ReturnsHolding)
        Copy.Acquires.push_back({H.Lock, H.Mode});
      Copy.Releases = It->second.ReleasesCallers;
      Copy.HandsOver = It->second.HandsOverCallers;
      Copy.ResultIsLockResult = It->second.ReturnsLockResult;
      applyEffect(Copy, CE, Object, S, Loc);
      return;
    }
  }
  recordCall(S, CE, Callee, Object);
}

//===----------------------------------------------------------------------===//
// Guards
//===----------------------------------------------------------------------===//

static const CXXConstructExpr *constructorOf(const Expr *Init) {
  while (Init) {
    Init = Init->IgnoreImplicit()->IgnoreParenCasts()->IgnoreImplicit();
    if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(Init)) {
      Init = FC->getSubExpr();
      continue;
    }
    const auto *CCE = dyn_cast<CXXConstructExpr>(Init);
    if (!CCE)
      return nullptr;
    // A copy/move from a temporary of the same class: look inside.
    if (CCE->getNumArgs() == 1 && CCE->getConstructor()->isCopyOrMoveConstructor()) {
      const Expr *A = CCE->getArg(0)->IgnoreImplicit();
      if (isa<CXXConstructExpr>(A) || isa<CXXFunctionalCastExpr>(A) ||
          isa<MaterializeTemporaryExpr>(A)) {
        const CXXConstructExpr *Inner = constructorOf(A);
        if (Inner)
          return Inner;
      }
    }
    return CCE;
  }
  return nullptr;
}

static StringRef tagOf(const Expr *E) {
  if (const CXXRecordDecl *RD = recordOf(E->getType()))
    if (RD->isInStdNamespace() && RD->getIdentifier())
      return RD->getName();
  return {};
}

void FunctionAnalysis::handleDecl(const VarDecl *VD, State &S) {
  const CXXRecordDecl *RD = recordOf(VD->getType());
  if (!RD || VD->getType()->isReferenceType() || VD->getType()->isPointerType())
    return;
  const CXXConstructExpr *CCE = constructorOf(VD->getInit());
  if (!CCE)
    return;
  SourceLocation Loc = VD->getLocation();
  bool Std = isStdRecord(RD, {"lock_guard", "scoped_lock", "unique_lock", "shared_lock"});
  if (Std) {
    GuardInfo G;
    G.Kind = RD->getName().str();
    G.Mode = RD->getName() == "shared_lock" ? AcquireMode::Shared : AcquireMode::Exclusive;
    bool Defer = false, Try = false, Adopt = false;
    const VarDecl *MovedFrom = nullptr;
    // A null lock (spdlog's null_mutex) holds nothing: the code under it
    // is single-threaded by the programmer's choice (State::NullGuards).
    bool NullGuard = false;
    for (const Expr *A : CCE->arguments()) {
      StringRef Tag = tagOf(A);
      if (Tag == "defer_lock_t")
        Defer = true;
      else if (Tag == "try_to_lock_t")
        Try = true;
      else if (Tag == "adopt_lock_t")
        Adopt = true;
      else if (isStdRecord(recordOf(A->getType()), {"unique_lock", "shared_lock"}))
        MovedFrom = guardVar(A, S);
      else if (A->getType()->isRecordType() &&
               isStdRecord(recordOf(A->getType()), {"chrono", "duration", "time_point"}))
        Try = true;
      else if (const CXXRecordDecl *ARD = recordOf(A->getType());
               ARD && ARD->getIdentifier() &&
               (ARD->getName() == "duration" || ARD->getName() == "time_point"))
        Try = true;
      else if (isNullLock(recordOf(A->getType()))) {
        NullGuard = true;
      } else
        G.Locks.push_back(resolveOrUnknown(A));
    }
    if (MovedFrom) {
      GuardInfo Old = S.Guards[MovedFrom];
      for (Entry &E : S.Held)
        if (E.Guard == MovedFrom)
          E.Guard = VD;
      S.Guards.erase(MovedFrom);
      S.Guards[VD] = Old;
      return;
    }
    for (LockRef &L : G.Locks)
      if (L.Kind == LockKind::Unknown)
        L.Kind = G.Mode == AcquireMode::Shared ? LockKind::RwLock : LockKind::Mutex;
    S.Guards[VD] = G;
    if (NullGuard && !Defer)
      S.NullGuards.insert(VD);
    if (G.Locks.empty() || Defer)
      return;
    if (Adopt) {
      // The locks are already held: the guard takes them over.
      for (const LockRef &L : G.Locks) {
        std::string Key = L.key();
        bool Found = false;
        for (Entry &E : S.Held)
          if (E.Key == Key && !E.Guard) {
            E.Guard = VD;
            Found = true;
            break;
          }
        if (!Found) {
          Entry E;
          E.Lock = L;
          E.Key = Key;
          E.At = frameAt(Loc);
          E.Mode = G.Mode;
          E.Guard = VD;
          E.NotOurs = true;
          S.Held.push_back(std::move(E));
        }
      }
      return;
    }
    if (Try) {
      acquire(S, G.Locks, Loc, G.Mode, true, VD);
      Pending = {nullptr, true, {}};
      return;
    }
    acquire(S, G.Locks, Loc, G.Mode, false, VD);
    return;
  }
  // scoped_lockable classes: the constructor's acquire attributes.
  if (RD->hasAttr<ScopedLockableAttr>()) {
    const CXXConstructorDecl *Ctor = CCE->getConstructor();
    FunctionAnalysis CtorSpace(TU, Ctor);
    std::vector<std::optional<LockRef>> Args;
    for (const Expr *A : CCE->arguments())
      Args.push_back(resolveArgument(A));
    GuardInfo G;
    G.Kind = RD->getNameAsString();
    for (const Attr *A : Ctor->attrs()) {
      if (const auto *AA = dyn_cast<AcquireCapabilityAttr>(A)) {
        G.Mode = AA->isShared() ? AcquireMode::Shared : AcquireMode::Exclusive;
        for (const Expr *E : AA->args())
          if (auto R = CtorSpace.resolve(E))
            G.Locks.push_back(substitute(*R, Args, std::nullopt));
      }
    }
    if (G.Locks.empty())
      return;
    S.Guards[VD] = G;
    acquire(S, G.Locks, Loc, G.Mode, false, VD);
    return;
  }
  // Unannotated RAII guards, recognised from their constructor's effect.
  if (const FunctionDecl *Def = CCE->getConstructor()->getDefinition();
      Def && TU.shouldAnalyze(Def)) {
    Effect Eff = TU.analyze(Def);
    if (!Eff.RelocksAtEnd.empty()) {
      std::vector<std::optional<LockRef>> Args;
      for (const Expr *A : CCE->arguments())
        Args.push_back(resolveArgument(A));
      std::vector<std::pair<LockRef, AcquireMode>> &Relock = S.Relocks[VD];
      for (const auto &[R, Mode] : Eff.RelocksAtEnd)
        if (LockRef L = substitute(R, Args, std::nullopt); L.precise())
          Relock.push_back({std::move(L), Mode});
    }
    if (!Eff.GuardCtor)
      return;
    std::vector<std::optional<LockRef>> Args;
    for (const Expr *A : CCE->arguments())
      Args.push_back(resolveArgument(A));
    // Given a pointer that may be null, the guard may hold nothing: what
    // it is given when it is not null is held only for lockgraph-race.
    if (Eff.UnlessNull)
      for (const auto &[R, Mode] : Eff.Acquires) {
        if (R.Base != BaseKind::Param || unsigned(R.Index) >= CCE->getNumArgs())
          return;
        const Expr *A = CCE->getArg(R.Index)->IgnoreParenImpCasts();
        const auto *UO = dyn_cast<UnaryOperator>(A);
        if (isa<CXXThisExpr>(A) || (UO && UO->getOpcode() == UO_AddrOf))
          continue;
        for (const auto &[MR, MMode] : Eff.Acquires) {
          std::vector<std::optional<LockRef>> NonNull = Args;
          for (unsigned I = 0; I < CCE->getNumArgs(); ++I)
            if (const auto *CO = dyn_cast<ConditionalOperator>(
                    CCE->getArg(I)->IgnoreParenImpCasts())) {
              bool TrueNull = CO->getTrueExpr()->isNullPointerConstant(
                  Ctx, Expr::NPC_ValueDependentIsNotNull);
              NonNull[I] = resolve(TrueNull ? CO->getFalseExpr() : CO->getTrueExpr());
            }
          LockRef L = substitute(MR, NonNull, std::nullopt);
          if (L.precise())
            S.MaybeHeld.push_back({VD, std::move(L)});
        }
        return;
      }
    GuardInfo G;
    G.Kind = RD->getNameAsString();
    for (const auto &[R, Mode] : Eff.Acquires) {
      G.Locks.push_back(substitute(R, Args, std::nullopt));
      G.Mode = Mode;
    }
    S.Guards[VD] = G;
    acquire(S, G.Locks, Loc, G.Mode, false, VD);
  }
}

//===----------------------------------------------------------------------===//
// Transfer
//===----------------------------------------------------------------------===//

void FunctionAnalysis::noteRecursive(const LockRef &L) {
  // A member of an object this function cannot name (`p` from malloc) still
  // tells its class (Linker::computeRecursive).
  if (!Recording || (!L.precise() && L.Path.empty()))
    return;
  for (const LockRef &R : Summary.RecursiveInits)
    if (R == L)
      return;
  Summary.RecursiveInits.push_back(L);
}

void FunctionAnalysis::noteLockResult(const Expr *Value, const std::string &Target,
                                      State &S) {
  if (Target.empty() || !Pending.Call ||
      Value->IgnoreParenImpCasts() != Pending.Call->IgnoreParenImpCasts())
    return;
  // `int Err = pthread_mutex_lock(&M);`: a blocking lock call succeeds
  // (applyBranch), so the result says so (unbound's LOCKRET logs a failure
  // with the same lock, `if ((err = pthread_mutex_lock(l)) != 0)
  // log_err(...)`, and goes on as if locked).
  if (Pending.Blocking) {
    S.Facts[Target] = Pending.SuccessIsTrue;
    return;
  }
  // `R = trylock(&M)`: held exactly when the result says it succeeded,
  // which a later `if (R)` decides.
  for (Entry &E : S.Held)
    if (llvm::is_contained(Pending.Keys, E.Key) && (E.Try || Pending.Blocking)) {
      E.Conds[Target] = Pending.SuccessIsTrue;
    }
}

/// `cmd.type = command_t::bind;`: an integer or enumerator constant
/// assigned to what \p Target names, as `Target == V` (switchCase and the
/// arguments of later calls read it).
void FunctionAnalysis::noteAssignedConstant(const std::string &Target, const Expr *Value,
                                            State &S) {
  if (Target.empty() || !Value->getType()->isIntegralOrEnumerationType())
    return;
  if (std::optional<int64_t> V = constantArgument(Value, Ctx); V && *V >= 0)
    S.Facts[Target + " == " + std::to_string(*V)] = true;
}

void FunctionAnalysis::transferElement(const CFGElement &E, State &S) {
  if (auto CS = E.getAs<CFGStmt>()) {
    const Stmt *St = CS->getStmt();
    if (Recording)
      recordAccess(St, S);
    if (const auto *BO = dyn_cast<BinaryOperator>(St); BO && BO->isAssignmentOp()) {
      std::string Target = conditionKey(BO->getLHS());
      forgetConditions(S, Target);
      // `Locked = true;` after taking a lock: a later `if (Locked)` knows.
      if (std::optional<bool> V = constantTruth(BO->getRHS());
          V && BO->getOpcode() == BO_Assign && !Target.empty())
        S.Facts[Target] = *V;
      if (BO->getOpcode() == BO_Assign)
        noteAssignedConstant(Target, BO->getRHS(), S);
      if (BO->getOpcode() == BO_Assign) {
        noteLockResult(BO->getRHS(), Target, S);
        if (isForkCall(BO->getRHS()) && !Target.empty())
          S.ForkResult = Target;
      }
    }
    else if (const auto *UO = dyn_cast<UnaryOperator>(St); UO && UO->isIncrementDecrementOp())
      forgetConditions(S, conditionKey(UO->getSubExpr()));
    else if (UO && UO->getOpcode() == UO_AddrOf && localRoot(UO->getSubExpr()))
      forgetConditions(S, conditionKey(UO->getSubExpr())); // &Flag: a callee may set it
    if (const auto *CE = dyn_cast<CallExpr>(St)) {
      handleCall(CE, S);
    } else if (const auto *DS = dyn_cast<DeclStmt>(St)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D)) {
          forgetConditions(S, varConditionKey(VD));
          if (std::optional<bool> V = VD->hasInit() ? constantTruth(VD->getInit())
                                                    : std::nullopt)
            S.Facts[varConditionKey(VD)] = *V;
          if (VD->hasInit())
            noteAssignedConstant(varConditionKey(VD), VD->getInit(), S);
          if (VD->hasInit()) {
            noteLockResult(VD->getInit(), varConditionKey(VD), S);
            if (isForkCall(VD->getInit()))
              S.ForkResult = varConditionKey(VD);
          }
          if (VD->hasInit())
            handleDecl(VD, S);
        }
    } else if (const auto *CCE = dyn_cast<CXXConstructExpr>(St)) {
      // Constructors of user classes may lock; guards are handled at their
      // declaration.
      const CXXConstructorDecl *Ctor = CCE->getConstructor();
      const CXXRecordDecl *RD = Ctor->getParent();
      if (isStdRecord(RD, {"lock_guard", "scoped_lock", "unique_lock", "shared_lock"}) ||
          RD->hasAttr<ScopedLockableAttr>())
        return;
      SourceLocation L = TU.SM.getExpansionLoc(Ctor->getLocation());
      if (const FunctionDecl *Def = Ctor->getDefinition();
          Def && TU.shouldAnalyze(Def) && TU.analyze(Def).GuardCtor)
        return; // an inferred guard, handled at its declaration
      if (Recording && L.isValid() && !TU.SM.isInSystemHeader(L) && !Ctor->isTrivial()) {
        CallSite C = callSite(Ctor, CCE->getExprLoc(), S);
        C.OnceOnly = inLazyInit(CCE);
        for (const Expr *A : CCE->arguments())
          C.Args.push_back(A->getType()->isPointerType() || A->isGLValue()
                               ? resolveArgument(A)
                               : std::nullopt);
        // A base class's constructor builds part of this object (what it
        // makes recursive is this object's lock).
        if (const auto *Own = dyn_cast<CXXConstructorDecl>(FD))
          for (const CXXCtorInitializer *Init : Own->inits())
            if (Init->isBaseInitializer() && Init->getInit() &&
                Init->getInit()->IgnoreImplicit() == CCE) {
              LockRef This;
              This.Base = BaseKind::This;
              This.Name = plainName(Own->getParent());
              C.This = std::move(This);
            }
        if (!C.Callee.empty())
          Summary.Calls.push_back(std::move(C));
      }
    }
    return;
  }
  if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
    const VarDecl *VD = D->getVarDecl();
    if (auto Relock = S.Relocks.find(VD); Relock != S.Relocks.end()) {
      const SourceLocation End = D->getTriggerStmt() ? D->getTriggerStmt()->getEndLoc()
                                                     : VD->getLocation();
      for (const auto &[L, Mode] : Relock->second)
        acquire(S, {L}, End, Mode, false, nullptr);
      S.Relocks.erase(Relock);
    }
    if (S.Guards.count(VD)) {
      for (auto It = S.GuardReleased.begin(); It != S.GuardReleased.end();) {
        if (It->second.first != VD) {
          ++It;
          continue;
        }
        if (Recording) {
          std::string Name;
          for (const LockRef &L : S.Guards[VD].Locks)
            if (L.key() == It->first)
              Name = L.displayName();
          addFinding(UnlockUnheldCheck,
                     "unlock of " + quote(Name) + " owned by " + quote(VD->getNameAsString()) +
                         ", which will unlock it again at the end of its scope",
                     It->second.second,
                     {{frameAt(VD->getLocation()), quote(VD->getNameAsString()) + " declared here"}},
                     {Name});
        }
        It = S.GuardReleased.erase(It);
      }
      releaseGuard(S, VD);
      S.Guards.erase(VD);
    }
  }
}

void FunctionAnalysis::transferBlock(const CFGBlock *B, State &S) {
  Pending = {};
  for (const CFGElement &E : *B) {
    if (!S.Reached)
      return; // after a call that does not return
    transferElement(E, S);
  }
}

/// The condition a branch tests, with !, ==0 and !=0 folded into \p Negated.
static const Expr *branchTest(const Expr *Cond, bool &Negated) {
  Negated = false;
  while (Cond) {
    Cond = Cond->IgnoreParenImpCasts()->IgnoreImplicit()->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(Cond); UO && UO->getOpcode() == UO_LNot) {
      Negated = !Negated;
      Cond = UO->getSubExpr();
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(Cond);
        BO && (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE)) {
      const Expr *L = BO->getLHS()->IgnoreParenImpCasts();
      const Expr *R = BO->getRHS()->IgnoreParenImpCasts();
      const Expr *Other = nullptr;
      // `== 0`, `!= NULL`, `== nullptr`, `!= false`.
      if (constantTruth(R) == false)
        Other = L;
      else if (constantTruth(L) == false)
        Other = R;
      if (!Other)
        return Cond;
      if (BO->getOpcode() == BO_EQ)
        Negated = !Negated;
      Cond = Other;
      continue;
    }
    return Cond;
  }
  return nullptr;
}

/// The entries held only while the condition \p Key has one value, now
/// that it is known to be \p Value: held for sure, or not at all.
static void decideHeldUnder(State &S, const std::string &Key, bool Value) {
  for (auto It = S.Held.begin(); It != S.Held.end();) {
    auto Cond = It->Conds.find(Key);
    if (Cond == It->Conds.end()) {
      ++It;
      continue;
    }
    if (Cond->second == Value) {
      It->Must = true;
      It->Conds.clear();
      ++It;
    } else {
      if (It->Must && !It->Try) // a blocking acquisition that failed
        S.Failed.emplace(It->Key, *It);
      It = S.Held.erase(It);
    }
  }
}

/// Whether \p Part is \p Whole or one of its subexpressions.
static bool within(const Stmt *Part, const Stmt *Whole) {
  if (!Whole)
    return false;
  if (Part == Whole)
    return true;
  return llvm::any_of(Whole->children(), [&](const Stmt *C) { return within(Part, C); });
}

void FunctionAnalysis::applyCompoundBranch(const CFGBlock *B, State &S, unsigned SuccIndex) {
  if (!CompoundEntriesBuilt) {
    CompoundEntriesBuilt = true;
    for (const CFGBlock *T : *Cfg) {
      const auto *If = dyn_cast_or_null<IfStmt>(T->getTerminatorStmt());
      if (!If || T->succ_size() != 2)
        continue;
      std::string Key = compoundConditionKey(If->getCond());
      if (Key.empty())
        continue;
      for (unsigned I = 0; I < 2; ++I)
        if (const CFGBlock *Entry = T->succ_begin()[I].getReachableBlock())
          CompoundEntries[Entry] = {If, Key, I == 0};
    }
  }
  const CFGBlock *Succ = B->succ_begin()[SuccIndex].getReachableBlock();
  auto It = Succ ? CompoundEntries.find(Succ) : CompoundEntries.end();
  if (It == CompoundEntries.end() ||
      (B->getTerminatorStmt() != It->second.If &&
       !within(B->getTerminatorStmt(), It->second.If->getCond())))
    return; // an edge of another statement into the same block
  const auto &[If, Key, Value] = It->second;
  if (factIs(S, Key, !Value)) {
    S.Reached = false;
    return;
  }
  S.Facts[Key] = Value;
  decideHeldUnder(S, Key, Value);
}

void FunctionAnalysis::applyBranch(const CFGBlock *B, State &S, unsigned SuccIndex) {
  if (B->succ_size() != 2)
    return;
  // `if (!w->is_bg || w->is_bg_thread)` around a lock and again around its
  // unlock (unbound's libworker_setup): the edges into the if's branches
  // decide the whole condition, which the second if tests again.
  applyCompoundBranch(B, S, SuccIndex);
  if (!S.Reached)
    return;
  const Stmt *T = B->getTerminatorCondition();
  const auto *Cond = dyn_cast_or_null<Expr>(T);
  if (!Cond)
    return;
  // The block of the last operand of `A && B` (or `||`) branches on B,
  // though its terminator is the whole condition's statement: libzmq's
  // `if ((_monitor_events & E) && send_stopped_event_)`.
  if (!isa_and_nonnull<BinaryOperator>(B->getTerminatorStmt()))
    while (const auto *BO = dyn_cast<BinaryOperator>(Cond->IgnoreParens()))
      if (BO->isLogicalOp())
        Cond = BO->getRHS();
      else
        break;
  bool Negated = false;
  const Expr *Test = branchTest(Cond, Negated);
  if (!Test)
    return;
  // `if ((err = pthread_mutex_lock(l)) != 0)` (unbound's LOCKRET): a test
  // of what was assigned, which the assignment's element noted.
  if (const auto *Assign = dyn_cast<BinaryOperator>(Test);
      Assign && Assign->getOpcode() == BO_Assign && !conditionKey(Assign->getLHS()).empty())
    Test = Assign->getLHS()->IgnoreParenImpCasts();
  // The branch where a pthread initializer failed is not taken (nng's
  // nni_plat_mtx_init retries every 10 ms while pthread_mutex_init fails:
  // a sleep under whatever lock its callers hold, 50 findings, on a path
  // glibc never takes).
  if (isUnfailingInit(Test) && (SuccIndex == 0) != Negated) {
    S.Reached = false;
    return;
  }
  // A condition tested before: a successor that contradicts what every
  // path here knows is not taken; entries held under it are decided.
  if (std::string CondKey = conditionKey(Test); !CondKey.empty()) {
    const bool Value = (SuccIndex == 0) != Negated;
    if (factIs(S, CondKey, !Value)) {
      S.Reached = false;
      return;
    }
    if (CondKey == S.ForkResult && !Value) {
      S.Reached = false; // the fork child (State::ForkResult)
      return;
    }
    S.Facts[CondKey] = Value;
    decideHeldUnder(S, CondKey, Value);
    // `rc == EBUSY` holds: rc is not 0, so a lock held only if rc is 0 is
    // not (libzmq's mutex_t::try_lock returns false there).
    if (const auto *BO = dyn_cast<BinaryOperator>(Test);
        BO && (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE) &&
        Value == (BO->getOpcode() == BO_EQ))
      if (std::optional<int64_t> C = constantArgument(BO->getRHS(), Ctx); C && *C != 0)
        if (std::string Operand = conditionKey(BO->getLHS()); !Operand.empty())
          decideHeldUnder(S, Operand, true);
  }
  // Which keys/guard does the test decide?
  std::vector<std::string> Keys;
  const VarDecl *Guard = nullptr;
  bool SuccessIsTrue = true;
  if (Pending.Call && Test == Pending.Call->IgnoreParenImpCasts()) {
    Keys = Pending.Keys;
    SuccessIsTrue = Pending.SuccessIsTrue;
  } else if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(Test)) {
    // if (lk) / if (lk.owns_lock()) on a guard.
    const CXXMethodDecl *MD = MCE->getMethodDecl();
    if (MD && (isa<CXXConversionDecl>(MD) || MD->getName() == "owns_lock"))
      Guard = guardVar(MCE->getImplicitObjectArgument(), S);
    if (!Guard)
      return;
  } else {
    return;
  }
  bool TrueBranchHolds = SuccessIsTrue != Negated;
  bool ThisBranchHolds = (SuccIndex == 0) == TrueBranchHolds;
  // The failure branch of a blocking lock call is not taken, as a failing
  // pthread initializer's is not (isUnfailingInit): a default mutex's lock
  // cannot fail, and code that handles a failure does not go on holding
  // anything it would otherwise hold.
  if (!Guard && Pending.Blocking && !ThisBranchHolds) {
    S.Reached = false;
    return;
  }
  for (auto It = S.Held.begin(); It != S.Held.end();) {
    bool Decided = Guard ? It->Guard == Guard
                         : llvm::is_contained(Keys, It->Key) &&
                               (It->Try || Pending.Blocking);
    if (!Decided) {
      ++It;
      continue;
    }
    if (ThisBranchHolds) {
      It->Must = true;
      ++It;
    } else {
      if (!It->Try)
        S.Failed.emplace(It->Key, *It);
      It = S.Held.erase(It);
    }
  }
}

/// The value the return statement ending exit block \p P returns, if any.
static const Expr *exitReturnValue(const CFGBlock *P) {
  const ReturnStmt *Ret = nullptr;
  for (auto It = P->rbegin(); It != P->rend() && !Ret; ++It)
    if (auto CS = It->getAs<CFGStmt>())
      Ret = dyn_cast<ReturnStmt>(CS->getStmt());
  return Ret ? Ret->getRetValue() : nullptr;
}

/// What a function's callers can call a lock it returns holding: its own
/// name, or for a lock reached through a local pointer (the object it
/// looked up or made: `lock(&v->lock); return v;`) the lock's class, which
/// the callers' names for it (`unlock(&w->lock)`) match. None for a lock
/// of the function's own local object.
static std::optional<LockRef> exportedLock(const LockRef &L) {
  if (L.Base != BaseKind::Local)
    return L;
  if (L.Path.empty() || !L.Path.front().ThroughPointer)
    return std::nullopt;
  LockRef U;
  U.Base = BaseKind::Unknown;
  U.Name = L.className();
  U.Path.push_back(L.Path.back());
  U.Kind = L.Kind;
  return U;
}

/// The truth of the constant that the return statement ending exit block
/// \p P returns, if it returns one.
static std::optional<bool> exitReturnTruth(const CFGBlock *P) {
  const Expr *Value = exitReturnValue(P);
  return Value ? constantTruth(Value) : std::nullopt;
}

/// A function returning whether it took a lock with a try-acquisition is
/// a conditional lock function, as if annotated TRY_ACQUIRE(true) (libzmq's
/// mutex_t::try_lock: `rc = pthread_mutex_trylock(&_mutex); if (rc ==
/// EBUSY) return false; ... return true;`): every exit returns a constant,
/// the lock is held at each that returns true and at none that returns
/// false (or the reverse).
void FunctionAnalysis::inferTryEffect(
    const std::vector<std::pair<const CFGBlock *, State>> &Exits) {
  if (!FD->getReturnType()->isIntegerType() || Exits.empty())
    return;
  std::vector<bool> Returns;
  for (const auto &[P, Out] : Exits) {
    std::optional<bool> Value = exitReturnTruth(P);
    if (!Value)
      return;
    Returns.push_back(*Value);
  }
  if (llvm::all_of(Returns, [](bool R) { return R; }) ||
      llvm::none_of(Returns, [](bool R) { return R; }))
    return;
  auto Holds = [](const State &Out, const std::string &Key) {
    return llvm::any_of(Out.Held, [&](const Entry &X) { return X.Key == Key && !X.Guard; });
  };
  // Candidates: what some exit holds by a try-acquisition of its own.
  std::vector<std::pair<LockRef, AcquireMode>> Taken;
  std::set<std::string> Seen;
  std::optional<bool> Success;
  for (const auto &[P, Out] : Exits)
    for (const Entry &E : Out.Held) {
      if (!E.Try || E.Guard || E.NotOurs || E.Lock.Base == BaseKind::Local ||
          !Seen.insert(E.Key).second)
        continue;
      for (bool When : {true, false}) {
        if (Success && *Success != When)
          continue;
        bool Fits = true;
        for (size_t I = 0; I < Exits.size() && Fits; ++I)
          Fits = Holds(Exits[I].second, E.Key) == (Returns[I] == When);
        if (Fits) {
          Taken.push_back({E.Lock, E.Mode});
          Success = When;
        }
      }
    }
  if (Taken.empty() || !NetEffect.Acquires.empty() || !NetEffect.Releases.empty())
    return;
  NetEffect.Acquires = std::move(Taken);
  NetEffect.Try = true;
  NetEffect.TrySuccess = *Success;
}

/// `switch (cmd_.type)`: the successor labelled `case V:` knows the value
/// is V, and is not taken when every path here knows another value
/// (libzmq's object_t::process_command dispatches on a command's type; a
/// caller that builds a `bind` command reaches only process_bind).
void FunctionAnalysis::applySwitchCase(const CFGBlock *B, State &S, unsigned SuccIndex) {
  const auto *Switch = dyn_cast_or_null<SwitchStmt>(B->getTerminatorStmt());
  if (!Switch || SuccIndex >= B->succ_size())
    return;
  const CFGBlock *Succ = *(B->succ_begin() + SuccIndex);
  const auto *Case = Succ ? dyn_cast_or_null<CaseStmt>(Succ->getLabel()) : nullptr;
  if (!Case || Case->caseStmtIsGNURange())
    return;
  std::string Key = conditionKey(Switch->getCond());
  std::optional<int64_t> Value = constantArgument(Case->getLHS(), Ctx);
  if (Key.empty() || !Value || *Value < 0)
    return;
  const std::string Prefix = Key + " == ";
  for (auto It = S.Facts.lower_bound(Prefix);
       It != S.Facts.end() && StringRef(It->first).starts_with(Prefix); ++It)
    if (It->second && It->first != Prefix + std::to_string(*Value)) {
      S.Reached = false;
      return;
    }
  S.Facts[Prefix + std::to_string(*Value)] = true;
}

State FunctionAnalysis::outState(const CFGBlock *B, const State &In, unsigned SuccIndex) {
  State S = In;
  transferBlock(B, S);
  applyBranch(B, S, SuccIndex);
  applySwitchCase(B, S, SuccIndex);
  noteConditionalArm(B, S);
  return S;
}

void FunctionAnalysis::noteConditionalArm(const CFGBlock *B, State &S) {
  if (B->succ_size() != 1 || B->empty())
    return;
  const CFGBlock *Join = B->succ_begin()->getReachableBlock();
  const auto *Test = Join ? dyn_cast_or_null<Expr>(Join->getTerminatorCondition()) : nullptr;
  const auto *CO = Test ? dyn_cast<ConditionalOperator>(Test->IgnoreParenImpCasts()) : nullptr;
  auto Last = B->back().getAs<CFGStmt>();
  if (!CO || !Last)
    return;
  const Stmt *Value = Last->getStmt();
  for (const Expr *Arm : {CO->getTrueExpr(), CO->getFalseExpr()})
    if (Arm->IgnoreParens() == Value)
      if (std::optional<bool> Truth = constantTruth(Arm))
        S.Facts[conditionKey(CO)] = *Truth;
}

void FunctionAnalysis::run() {
  const Stmt *Body = FD->getBody();
  if (!Body)
    return;
  CFG::BuildOptions BO;
  BO.AddImplicitDtors = true;
  BO.AddTemporaryDtors = false;
  BO.AddInitializers = true;
  BO.AddCXXDefaultInitExprInCtors = true;
  BO.setAllAlwaysAdd();
  Cfg = CFG::buildCFG(FD, const_cast<Stmt *>(Body), &Ctx, BO);
  if (!Cfg) {
    TU.skipped(FD->getLocation(), "no CFG for '" + FnName + "'");
    return;
  }
  Facts = collectBodyFacts(FD, Ctx);
  collectRecursiveAttrs(Body, Ctx, RecursiveAttrs);
  Summary.Role = Facts.Role;
  for (const ThreadStart &T : Facts.Starts) {
    SpawnOf.push_back(T.Entry ? int(Summary.Spawns.size()) : -1);
    if (T.Entry)
      Summary.Spawns.push_back({usrOf(T.Entry->getCanonicalDecl()), threadName(T.Entry),
                                frameAt(T.At), T.InLoop, T.PrivateArg});
  }
  // Reverse post-order from the entry (iteratively; successors may be null
  // for unreachable edges, so LLVM's generic traversal cannot be used).
  std::vector<const CFGBlock *> Order;
  {
    std::vector<bool> Seen(Cfg->getNumBlockIDs(), false);
    std::vector<std::pair<const CFGBlock *, CFGBlock::const_succ_iterator>> Stack;
    const CFGBlock *Entry = &Cfg->getEntry();
    Seen[Entry->getBlockID()] = true;
    Stack.push_back({Entry, Entry->succ_begin()});
    while (!Stack.empty()) {
      auto &[B, It] = Stack.back();
      if (It == B->succ_end()) {
        Order.push_back(B);
        Stack.pop_back();
        continue;
      }
      const CFGBlock *Succ = It->getReachableBlock();
      ++It;
      if (Succ && !Seen[Succ->getBlockID()]) {
        Seen[Succ->getBlockID()] = true;
        Stack.push_back({Succ, Succ->succ_begin()});
      }
    }
    std::reverse(Order.begin(), Order.end());
  }
  std::vector<State> In(Cfg->getNumBlockIDs());
  In[Cfg->getEntry().getBlockID()].Reached = true;

  // Fixpoint (bounded: the lattice is finite, but keep big functions cheap).
  bool Changed = true;
  for (unsigned Round = 0; Changed && Round < 12; ++Round) {
    Changed = false;
    for (const CFGBlock *B : Order) {
      if (!In[B->getBlockID()].Reached)
        continue;
      unsigned I = 0;
      for (auto SI = B->succ_begin(); SI != B->succ_end(); ++SI, ++I) {
        const CFGBlock *Succ = SI->getReachableBlock();
        if (!Succ)
          continue;
        State Out = outState(B, In[B->getBlockID()], I);
        State J = join(In[Succ->getBlockID()], Out);
        if (!(J == In[Succ->getBlockID()])) {
          In[Succ->getBlockID()] = std::move(J);
          Changed = true;
        }
      }
    }
  }

  // Recording pass.
  Recording = true;
  for (const CFGBlock *B : Order) {
    if (!In[B->getBlockID()].Reached)
      continue;
    State S = In[B->getBlockID()];
    transferBlock(B, S);
  }
  // Where the locks acquired before each notify were acquired.
  for (size_t I = 0; I < Summary.Notifies.size(); ++I)
    for (const std::string &Key : NotifyBefore[I])
      for (const Acquisition &A : Summary.Acquisitions)
        if (!A.Reacquire && A.Lock.key() == Key) {
          Summary.Notifies[I].AcquiredBefore.push_back({A.Lock, A.At, A.Mode});
          break;
        }

  // Exit: locks still held on some paths (missing unlock) or on all paths
  // (the function returns holding them: a lock function).
  const CFGBlock &Exit = Cfg->getExit();
  State AtExit;
  std::vector<std::pair<const CFGBlock *, State>> Exits;
  Recording = false;
  for (auto PI = Exit.pred_begin(); PI != Exit.pred_end(); ++PI) {
    const CFGBlock *P = PI->getReachableBlock();
    if (!P || !In[P->getBlockID()].Reached || P->hasNoReturnElement())
      continue;
    if (const Stmt *T = P->getTerminatorStmt(); T && isa<CXXThrowExpr>(T))
      continue;
    bool Throws = false;
    for (const CFGElement &E : *P)
      if (auto CS = E.getAs<CFGStmt>())
        Throws |= isa<CXXThrowExpr>(CS->getStmt());
    if (Throws)
      continue;
    unsigned I = 0;
    for (auto SI = P->succ_begin(); SI != P->succ_end(); ++SI, ++I)
      if (SI->getReachableBlock() == &Exit)
        break;
    State Out = outState(P, In[P->getBlockID()], I);
    AtExit = join(AtExit, Out);
    Exits.push_back({P, std::move(Out)});
  }
  Recording = true;
  NetEffect.NoReturn = !AtExit.Reached;
  const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD);
  // Held exactly when a pointer member the constructor initialized from its
  // parameter is not null, and reached through it: `if (m_ != NULL)
  // m_->lock();`.
  std::vector<std::pair<LockRef, AcquireMode>> UnlessNull; // only a guard's
  auto HeldUnlessNull = [&](const Entry &E) {
    if (E.Conds.size() != 1 || !E.Conds.begin()->second || E.Lock.Base != BaseKind::This ||
        E.Lock.Path.empty())
      return false;
    for (const CXXCtorInitializer *I : Ctor->inits())
      if (I->isMemberInitializer() && I->getMember()->getType()->isPointerType() &&
          I->getMember()->getName() == E.Lock.Path[0].Field && I->getInit() &&
          isa_and_nonnull<ParmVarDecl>(I->getInit()->IgnoreParenImpCasts()->IgnoreImplicit()
                               ->IgnoreParenImpCasts()->getReferencedDeclOfCallee()))
        return E.Conds.begin()->first == "this->" + E.Lock.Path[0].Field;
    return false;
  };
  // Held exactly when the pointer parameter it is reached through is not
  // null: `if (p) pthread_mutex_lock(&p->mutex);` (SQLite's
  // sqlite3_mutex_enter). A null lock is no lock, so the caller holds the
  // lock whenever there is one.
  auto HeldUnlessNullParam = [&](const Entry &E) {
    if (E.Conds.size() != 1 || !E.Conds.begin()->second || E.Lock.Base != BaseKind::Param ||
        E.Lock.Index < 0 || unsigned(E.Lock.Index) >= FD->getNumParams())
      return false;
    const ParmVarDecl *P = FD->getParamDecl(unsigned(E.Lock.Index));
    if (!P->getType()->isPointerType())
      return false;
    // The pointer tested is the parameter, or a pointer field on the way
    // from it to the lock (APR's `if (allocator->mutex)
    // apr_thread_mutex_lock(allocator->mutex)`).
    std::string Tested = E.Conds.begin()->first, Prefix = varConditionKey(P);
    for (size_t At; (At = Tested.find("->")) != std::string::npos;)
      Tested.replace(At, 2, ".");
    if (Tested == Prefix)
      return true;
    for (size_t I = 0; I + 1 < E.Lock.Path.size(); ++I) {
      Prefix += "." + E.Lock.Path[I].Field;
      if (Tested == Prefix)
        return true;
    }
    return false;
  };
  // A lock that the exits holding it return success with, and the exits
  // without it never do, some of them a failure: a conditional lock
  // function by its result (SQLite's vdbeUnbind returns SQLITE_OK holding
  // the database mutex, an error code having released it). Success is true
  // for a bool and 0 for another integer (an error code): an error path
  // that returns -1 still holding the lock is a missing unlock. The truth
  // of the result that says it is held.
  // A function returning a pointer succeeds with one that is not null:
  // the exits holding the lock return a pointer they did not test (the
  // object whose lock they took: unbound's views_enter_view_name "returns
  // with WRlock"; memcached's assoc_get_iterator), the others null.
  auto HeldByResult = [&](const std::string &Key) -> std::optional<bool> {
    const QualType Result = FD->getReturnType();
    const bool Pointer = Result->isPointerType();
    if (!Result->isIntegerType() && !Pointer)
      return std::nullopt;
    const bool Success = Result->isBooleanType() || Pointer;
    std::optional<bool> Held, Other;
    auto Note = [](std::optional<bool> &Seen, bool Value) {
      if (Seen && *Seen != Value)
        return false;
      Seen = Value;
      return true;
    };
    for (const auto &[P, Out] : Exits) {
      const auto Entry = llvm::find_if(
          Out.Held, [&](const struct Entry &X) { return X.Key == Key && !X.Guard; });
      const bool Holds = Entry != Out.Held.end();
      std::optional<bool> Value = exitReturnTruth(P);
      // A variable returned that tells the paths holding the lock from the
      // others (APR's apr_global_mutex_lock: `if (rv != 0) unlock(...);
      // return rv;`): both results at one exit.
      if (Holds && !Value && !Entry->Must)
        if (const Expr *Returned = exitReturnValue(P)) {
          auto Cond = Entry->Conds.find(conditionKey(Returned));
          if (Cond != Entry->Conds.end()) {
            if (!Note(Held, Cond->second) || !Note(Other, !Cond->second))
              return std::nullopt;
            continue;
          }
        }
      if (Pointer && !Value) {
        // A pointer returned without the lock, or holding it on some of
        // the paths that return it only.
        if (!Holds || !Entry->Must)
          return std::nullopt;
        Value = true;
      }
      if (Holds) {
        if (!Value || (Held && *Held != *Value))
          return std::nullopt;
        Held = Value;
      } else if (Value) {
        if (Other && *Other != *Value)
          return std::nullopt;
        Other = Value;
      }
    }
    if (!Held || !Other || *Held != Success || *Other == Success)
      return std::nullopt;
    return Held;
  };
  std::vector<std::pair<LockRef, AcquireMode>> ByResult;
  std::optional<bool> ByResultWhen;
  for (const Entry &E : AtExit.Held) {
    if (E.Guard || E.Try || E.NotOurs)
      continue;
    if (!E.Must && HeldUnlessNullParam(E)) {
      NetEffect.Acquires.push_back({E.Lock, E.Mode});
      NetEffect.HeldUnlessNullParams.push_back(E.Lock.Index);
      continue;
    }
    if (!E.Must) {
      const Effect::FlagAcquire *Flag = nullptr;
      Effect::FlagAcquire F;
      for (const auto &[Key, Value] : E.Conds)
        for (const ParmVarDecl *P : FD->parameters())
          if (!Flag && (P->getType()->isIntegerType() || P->getType()->isBooleanType()) &&
              Key == varConditionKey(P) && onlyTested(P) &&
              ReleasedUnderParam[E.Key].count({P->getFunctionScopeIndex(), !Value})) {
            F = {E.Lock, E.Mode, P->getFunctionScopeIndex(), Value};
            Flag = &F;
          }
      if (Flag && E.Lock.Base != BaseKind::Local) {
        NetEffect.HeldWhenFlag.push_back(std::move(F));
        continue;
      }
    }
    if (!E.Must && Ctor && HeldUnlessNull(E)) {
      UnlessNull.push_back({E.Lock, E.Mode});
      continue;
    }
    if (E.Must) {
      if (E.Lock.Base != BaseKind::Local)
        NetEffect.Acquires.push_back({E.Lock, E.Mode});
      continue;
    }
    // Held where its result says so (whether it released the lock on the
    // other paths or never took it there: `void *getIterator()` returning
    // NULL before locking).
    if (std::optional<LockRef> L = exportedLock(E.Lock))
      if (std::optional<bool> When = HeldByResult(E.Key);
          When && (!ByResultWhen || *ByResultWhen == *When)) {
        if (llvm::none_of(ByResult, [&](const auto &B) { return B.first == *L; }))
          ByResult.push_back({*L, E.Mode});
        ByResultWhen = When;
        continue;
      }
    // Only when the function releases it somewhere: a function that
    // takes the lock on one path and never releases it on any is another
    // conditional lock function, or a pause/resume pair in one function
    // that releases its caller's lock on the resume path.
    if (!AtExit.ReleasedHeld.count(E.Key))
      continue;
    // Report at the first exit path that still holds it, one that returns
    // failure (null, false, or an error code) if there is one: where the
    // other holding exits succeed, that is the one that forgot the unlock.
    const QualType Result = FD->getReturnType();
    const auto ReturnsFailure = [&](const CFGBlock *P) {
      const std::optional<bool> Value = exitReturnTruth(P);
      return Value && (Result->isPointerType() || Result->isBooleanType() ? !*Value
                       : Result->isIntegerType()                          ? *Value
                                                                           : false);
    };
    std::vector<const std::pair<const CFGBlock *, State> *> Ordered;
    for (const auto &X : Exits)
      if (ReturnsFailure(X.first))
        Ordered.push_back(&X);
    for (const auto &X : Exits)
      if (!ReturnsFailure(X.first))
        Ordered.push_back(&X);
    for (const auto *Exit : Ordered) {
      const auto &[P, Out] = *Exit;
      bool Holds = false, TryHeld = false;
      for (const Entry &X : Out.Held) {
        Holds |= X.Key == E.Key && !X.Guard;
        TryHeld |= X.Try;
      }
      // A path that returns holding a lock it try-acquired is the success
      // path of a conditional lock function (`bool lockBoth()`), by design.
      if (!Holds || TryHeld)
        continue;
      SourceLocation Loc = FD->getBodyRBrace();
      for (auto It = P->rbegin(); It != P->rend(); ++It)
        if (auto CS = It->getAs<CFGStmt>(); CS && isa<ReturnStmt>(CS->getStmt())) {
          Loc = CS->getStmt()->getBeginLoc();
          break;
        }
      std::vector<FindingNote> Notes = {{E.At, quote(E.Lock.displayName()) + " acquired here"}};
      if (std::optional<FindingNote> Wrong = wrongLockReleased(E, Out, Exits))
        Notes.push_back(std::move(*Wrong));
      addFinding(MissingUnlockCheck,
                 quote(E.Lock.displayName()) + " is still held when " + quote(FnName) +
                     " returns on this path",
                 Loc, std::move(Notes), {E.Lock.displayName()});
      break;
    }
  }
  for (auto &[Key, L] : ReleasedUnheld) {
    // Released only on paths that end the process (`exit`, `abort`): the
    // caller never sees it released.
    if (!AtExit.CallerReleased.count(Key))
      continue;
    // Released and retaken (on every path or some): the caller's lock is
    // held again when the function returns; no net effect.
    bool Retaken = false;
    for (const Entry &E : AtExit.Held)
      Retaken |= E.Key == Key && E.NotOurs;
    if (!Retaken)
      (ReleasedForCertain.count(Key) ? NetEffect.Releases : NetEffect.HandsOver).push_back(L);
  }
  inferTryEffect(Exits);
  // Its callers hold those locks where its result says so, as after a
  // trylock.
  if (!ByResult.empty() && NetEffect.Acquires.empty() && NetEffect.Releases.empty()) {
    NetEffect.Acquires = std::move(ByResult);
    NetEffect.Try = true;
    NetEffect.TrySuccess = *ByResultWhen;
  }
  // Every return returns the blocking lock call's result (`return
  // pthread_mutex_lock(&m->mutex);`): FunctionSummary::ReturnsLockResult.
  if (!NetEffect.Try && !NetEffect.Acquires.empty() && FD->getReturnType()->isIntegerType()) {
    bool Returns = false, AllLockResults = true;
    std::function<void(const Stmt *)> Visit = [&](const Stmt *St) {
      if (!St || !AllLockResults || isa<LambdaExpr>(St))
        return;
      if (const auto *Ret = dyn_cast<ReturnStmt>(St)) {
        Returns = true;
        const auto *Call = Ret->getRetValue()
                               ? dyn_cast<CallExpr>(Ret->getRetValue()->IgnoreParenImpCasts())
                               : nullptr;
        const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
        AllLockResults = Callee && Callee->getIdentifier() &&
                         llvm::is_contained({"pthread_mutex_lock", "pthread_rwlock_rdlock",
                                             "pthread_rwlock_wrlock", "pthread_spin_lock",
                                             "mtx_lock"},
                                            Callee->getName());
        return;
      }
      for (const Stmt *Child : St->children())
        Visit(Child);
    };
    Visit(FD->getBody());
    NetEffect.ResultIsLockResult = Returns && AllLockResults;
  }
  // Nothing but the locks of its effect: no other acquisition, call,
  // blocking call, wait or access that a caller's locks would precede.
  NetEffect.Pure = Summary.Calls.empty() && Summary.Blocking.empty() &&
                   Summary.Waits.empty() && Summary.Accesses.empty();
  for (const Acquisition &A : Summary.Acquisitions) {
    bool InEffect = false;
    for (const auto &[R, Mode] : NetEffect.Acquires)
      InEffect |= R.key() == A.Lock.key();
    NetEffect.Pure &= InEffect;
  }

  // A constructor that returns holding locks reached through fields it
  // initialized from its parameters (`Guard(Mutex *m) : m_(m) { m_->Lock(); }`)
  // makes its class a scoped guard of those parameters, if the class has a
  // destructor to release them.
  if (!Ctor || !Ctor->getParent()->hasUserDeclaredDestructor())
    return;
  // Fields initialized from a parameter, or from the address of one passed
  // by reference (Poco's ScopedLockWithUnlock: `_pMutex(&mutex)`).
  std::map<std::string, unsigned> FieldParam;
  for (const CXXCtorInitializer *I : Ctor->inits())
    if (I->isMemberInitializer() && I->getInit()) {
      const Expr *Init = I->getInit()->IgnoreParenImpCasts()->IgnoreImplicit()->IgnoreParenImpCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(Init); UO && UO->getOpcode() == UO_AddrOf)
        Init = UO->getSubExpr()->IgnoreParenImpCasts();
      if (const auto *DRE = dyn_cast<DeclRefExpr>(Init))
        if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl()))
          FieldParam[I->getMember()->getNameAsString()] = P->getFunctionScopeIndex();
    }
  // The lock a field initialized from a parameter reaches, as that parameter's.
  auto asParam = [&](const LockRef &R) -> std::optional<LockRef> {
    if (R.Base != BaseKind::This || R.Path.empty() || !FieldParam.count(R.Path[0].Field))
      return std::nullopt;
    LockRef P;
    P.Base = BaseKind::Param;
    P.Index = int(FieldParam[R.Path[0].Field]);
    P.Name = FnName + "(" + Ctor->getParamDecl(P.Index)->getNameAsString() + ")";
    P.Kind = R.Kind;
    P.Path.assign(R.Path.begin() + 1, R.Path.end());
    return P;
  };
  if (const CXXDestructorDecl *Dtor = Ctor->getParent()->getDestructor())
    if (const FunctionDecl *Def = Dtor->getDefinition(); Def && TU.shouldAnalyze(Def))
      for (const auto &[R, Mode] : TU.analyze(Def).Acquires)
        if (std::optional<LockRef> P = asParam(R))
          NetEffect.RelocksAtEnd.push_back({std::move(*P), Mode});
  if (NetEffect.Acquires.empty() && !UnlessNull.empty()) {
    NetEffect.Acquires = std::move(UnlessNull);
    NetEffect.UnlessNull = true;
  }
  if (NetEffect.Acquires.empty())
    return;
  bool AllParams = true;
  for (auto &[R, Mode] : NetEffect.Acquires) {
    if (std::optional<LockRef> P = asParam(R)) {
      R = std::move(*P);
    } else if (R.Base != BaseKind::Param) {
      AllParams = false;
    }
  }
  NetEffect.GuardCtor = AllParams;
  if (NetEffect.UnlessNull && !AllParams) {
    NetEffect.Acquires.clear();
    NetEffect.UnlessNull = false;
  }
}

//===----------------------------------------------------------------------===//
// Visitor
//===----------------------------------------------------------------------===//

//===----------------------------------------------------------------------===//
// Shared-variable accesses (lockgraph-race; the facts come from BodyFacts.h)
//===----------------------------------------------------------------------===//

/// Records the access \p St makes, if it is one, with the locks held on
/// every path to it.
void FunctionAnalysis::recordAccess(const Stmt *St, const State &S) {
  if (const auto *LE = dyn_cast<LambdaExpr>(St); LE && Facts.InlineLambdas.count(LE)) {
    const CXXMethodDecl *Op = LE->getCallOperator();
    CallSite C = callSite(Op, LE->getBeginLoc(), S);
    for (const LambdaCapture &Cap : LE->captures())
      if (Cap.capturesThis() && isa<CXXMethodDecl>(FD)) {
        C.This = LockRef{};
        C.This->Base = BaseKind::This;
        C.This->Name = plainName(cast<CXXMethodDecl>(FD)->getParent());
      }
    Summary.LambdaCalls.push_back(std::move(C));
    return;
  }
  auto It = Facts.Accesses.find(St);
  if (It == Facts.Accesses.end() || !S.NullGuards.empty())
    return;
  const auto *E = cast<Expr>(St);
  std::optional<LockRef> Var = resolve(E);
  // Locals, and objects we cannot name (reached through a local pointer, an
  // array element, a call), are most often not shared: left out.
  if (!Var || Var->Base == BaseKind::Local || Var->Base == BaseKind::Unknown ||
      (Var->Base != BaseKind::Global && Var->Path.empty()))
    return;
  // A parameter passed by value is the function's own copy, as a local is
  // (spdlog's `backtracer::operator=(backtracer other)` moving from
  // `other.messages_`); what it points to is not.
  if (Var->Base == BaseKind::Param && unsigned(Var->Index) < FD->getNumParams() &&
      FD->getParamDecl(Var->Index)->getType()->isRecordType() &&
      llvm::none_of(Var->Path, [](const PathElem &P) { return P.ThroughPointer; }))
    return;
  Access A;
  A.Var = std::move(*Var);
  A.Var.Kind = LockKind::Unknown;
  A.Var.PointerValue = false;
  A.Kind = It->second.Kind;
  A.At = frameAt(E->getExprLoc());
  for (const Access &Old : Summary.Accesses)
    if (Old.At == A.At && Old.Kind == A.Kind && Old.Var == A.Var)
      return;
  for (const Entry &H : S.Held)
    if (H.Must)
      A.Held.push_back({H.Lock, H.At, H.Mode});
  for (const Expr *R : Facts.Required)
    if (auto L = resolve(R))
      A.Held.push_back({*L, Summary.Decl, AcquireMode::Exclusive});
  A.Released = releasedNow(S);
  for (const auto &[Guard, L] : S.MaybeHeld)
    A.MaybeHeld.push_back(L);
  if (It->second.Guard)
    if (auto G = resolve(It->second.Guard))
      A.DeclaredGuard = G->className();
  A.Sequential = Facts.sequential(TU.SM, E->getExprLoc());
  A.Guards = paramGuards(S);
  A.Running = runningAt(E->getExprLoc());
  if (It->second.AddressTo)
    A.AddressTo = usrOf(It->second.AddressTo->getCanonicalDecl());
  Summary.Accesses.push_back(std::move(A));
}

class Visitor : public RecursiveASTVisitor<Visitor> {
public:
  explicit Visitor(TUAnalyzer &TU) : TU(TU) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitLambdaBody() const { return true; }

  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (TU.shouldAnalyze(FD))
      TU.analyze(FD);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *LE) {
    if (CXXMethodDecl *Op = LE->getCallOperator(); TU.shouldAnalyze(Op))
      TU.analyze(Op);
    return true;
  }

  // Functions stored in function-pointer fields: `{.eval = f}`, `s->eval = f`.
  bool VisitInitListExpr(InitListExpr *ILE) {
    const InitListExpr *Sem = ILE->isSemanticForm() ? ILE : ILE->getSemanticForm();
    const RecordDecl *RD = Sem ? Sem->getType()->getAsRecordDecl() : nullptr;
    if (!RD || RD->isUnion())
      return true;
    // An aggregate's bases come first; unnamed bit-fields get no initializer.
    const auto *CRD = dyn_cast<CXXRecordDecl>(RD);
    unsigned I = CRD && CRD->hasDefinition() ? CRD->getNumBases() : 0;
    for (const FieldDecl *F : RD->fields()) {
      if (F->isUnnamedBitField())
        continue;
      if (I >= Sem->getNumInits())
        break;
      storedIn(F, Sem->getInit(I++));
    }
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->getOpcode() != BO_Assign)
      return true;
    const Expr *LHS = BO->getLHS()->IgnoreParenImpCasts();
    if (const auto *ME = dyn_cast<MemberExpr>(LHS)) {
      if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
        storedIn(F, BO->getRHS(), ME->getBase());
    } else if (const VarDecl *V = functionPointerVar(LHS)) {
      flowsInto(keyOf(V), BO->getRHS());
    }
    return true;
  }

  // `static handler_fn handlers[] = {on_a, on_b};`, `handler_fn h = f;`
  // (locals too).
  bool VisitVarDecl(VarDecl *V) {
    std::string Key = keyOf(V);
    const Expr *Init = V->getInit();
    if (Key.empty() || !Init)
      return true;
    if (const auto *ILE = dyn_cast<InitListExpr>(Init->IgnoreImplicit()))
      for (const Expr *E : ILE->inits())
        flowsInto(Key, E);
    else
      flowsInto(Key, Init);
    return true;
  }

  // `callbacks_.push_back(f)` into a container of callbacks.
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (!M || !M->getIdentifier() || MC->getNumArgs() == 0 ||
        !llvm::is_contained({"push_back", "emplace_back", "push_front", "emplace_front",
                             "insert", "emplace"},
                            M->getName()))
      return true;
    if (const FieldDecl *F = callbackContainer(MC->getImplicitObjectArgument()))
      flowsInto(fieldCalleeKey(F), MC->getArg(MC->getNumArgs() - 1));
    return true;
  }

  // `cb_ = std::move(f)` into a std::function field.
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *OC) {
    if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
      if (const auto *ME = dyn_cast<MemberExpr>(OC->getArg(0)->IgnoreParenImpCasts()))
        if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
          storedIn(F, OC->getArg(1), ME->getBase());
    return true;
  }

  // `Timer(std::function<void()> f) : tick_(std::move(f)) {}`
  bool VisitCXXConstructorDecl(CXXConstructorDecl *CD) {
    for (const CXXCtorInitializer *Init : CD->inits())
      if (const FieldDecl *F = Init->getMember(); F && Init->getInit())
        storedIn(F, Init->getInit());
    return true;
  }

  // ... and to constructors: `Timer t([] { ... });`
  bool VisitCXXConstructExpr(CXXConstructExpr *CE) {
    const CXXConstructorDecl *Ctor = CE->getConstructor();
    unsigned N = Ctor ? std::min(CE->getNumArgs(), Ctor->getNumParams()) : 0;
    for (unsigned I = 0; I < N; ++I)
      if (std::string Key = paramCalleeKey(Ctor->getParamDecl(I)); !Key.empty())
        flowsInto(Key, CE->getArg(I));
    return true;
  }

  // Functions passed as function-pointer arguments: `start(h, cb)`.
  bool VisitCallExpr(CallExpr *CE) {
    const FunctionDecl *Callee = CE->getDirectCallee();
    if (!Callee || isa<CXXOperatorCallExpr>(CE))
      return true;
    unsigned N = std::min(CE->getNumArgs(), Callee->getNumParams());
    for (unsigned I = 0; I < N; ++I)
      if (std::string Key = paramCalleeKey(Callee->getParamDecl(I)); !Key.empty())
        flowsInto(Key, CE->getArg(I));
    return true;
  }

  std::set<std::pair<std::string, std::string>> FieldTargets, TargetFlows;

private:
  TUAnalyzer &TU;
  std::set<std::string> LocalKeys; // varCalleeKey of local variables

  bool isLocalKey(const std::string &Key) const { return LocalKeys.count(Key) != 0; }
  std::string keyOf(const VarDecl *V) {
    std::string Key = varCalleeKey(V);
    if (!Key.empty() && V->isLocalVarDecl())
      LocalKeys.insert(Key);
    return Key;
  }

  /// \p Value stored in field \p F of the object \p Object names (null:
  /// the object being constructed).
  void storedIn(const FieldDecl *F, const Expr *Value, const Expr *Object = nullptr) {
    if (isCallbackType(F->getType()))
      if (std::string Key = fieldCalleeKey(F); !Key.empty())
        flowsInto(Key + ownerSuffix(Object), Value);
  }

  /// "@Owner::member" when \p Object is a member (by value) of the
  /// storing method's own object, else "".
  static std::string ownerSuffix(const Expr *Object) {
    const auto *ME = Object ? dyn_cast<MemberExpr>(Object->IgnoreParenImpCasts()) : nullptr;
    const auto *FD = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
    if (!FD || FD->getType()->isPointerType() || FD->getType()->isReferenceType() ||
        !FD->getIdentifier() || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
      return {};
    return "@" + plainName(FD->getParent()) + "::" + FD->getName().str();
  }

  /// \p Value, a function or a function-pointer parameter, is stored in
  /// (passed for) what calls through \p Key call.
  void flowsInto(const std::string &Key, const Expr *Value) {
    Value = callbackArgument(Value);
    if (const auto *CO = dyn_cast<ConditionalOperator>(Value)) {
      flowsInto(Key, CO->getTrueExpr());
      flowsInto(Key, CO->getFalseExpr());
      return;
    }
    if (const auto *LE = dyn_cast<LambdaExpr>(Value)) {
      FieldTargets.insert({Key, usrOf(LE->getCallOperator()->getCanonicalDecl())});
      return;
    }
    const ValueDecl *D = declNamedBy(Value);
    if (const auto *Fn = dyn_cast_or_null<FunctionDecl>(D))
      FieldTargets.insert({Key, usrOf(Fn->getCanonicalDecl())});
    else if (const auto *P = dyn_cast_or_null<ParmVarDecl>(D))
      // Not into a local: what its function's callers pass is per call site.
      if (std::string From = paramCalleeKey(P);
          !From.empty() && From != Key && !isLocalKey(Key))
        TargetFlows.insert({Key, From});
  }
};

} // namespace

void analyzeTranslationUnit(ASTContext &Ctx, const TUAnalysisOptions &Opts,
                            TUSummary &Out) {
  TUAnalyzer TU(Ctx, Opts, Out);
  auto ParamKey = [](const FunctionDecl *F, unsigned I) {
    return usrOf(F->getCanonicalDecl()) + "#" + std::to_string(I);
  };
  TU.Descriptors = collectDescriptorFacts(
      Ctx,
      [&](const FunctionDecl *F, unsigned I) {
        return !Opts.NonBlockingParams.empty() && Opts.NonBlockingParams.count(ParamKey(F, I));
      },
      [&](const FieldDecl *F) {
        return !Opts.NonBlockingFields.empty() && Opts.NonBlockingFields.count(plainName(F));
      });
  for (const auto &[F, I] : TU.Descriptors.SetterParams)
    Out.NonBlockingParams.push_back(ParamKey(F, I));
  for (const auto &[F, I] : TU.Descriptors.HandOffs)
    Out.DescriptorHandOffs.push_back(ParamKey(F, I));
  for (const ValueDecl *D : TU.Descriptors.NonBlocking)
    if (const auto *F = dyn_cast<FieldDecl>(D))
      Out.NonBlockingFields.push_back(plainName(F));
  for (const auto &[Fn, I, F] : TU.Descriptors.FieldOutParams)
    Out.FieldOutParams.push_back({ParamKey(Fn, I), plainName(F)});
  for (const FieldDecl *F : TU.Descriptors.FieldIo)
    Out.DescriptorFieldIo.push_back(plainName(F));
  auto SortUnique = [](auto &V) {
    llvm::sort(V);
    V.erase(llvm::unique(V), V.end());
  };
  SortUnique(Out.NonBlockingParams);
  SortUnique(Out.DescriptorHandOffs);
  SortUnique(Out.NonBlockingFields);
  SortUnique(Out.FieldOutParams);
  SortUnique(Out.DescriptorFieldIo);
  Visitor V(TU);
  V.TraverseDecl(Ctx.getTranslationUnitDecl());
  SourceManager &SM = Ctx.getSourceManager();
  if (OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID()))
    Out.File = std::string(SM.getFileManager().getCanonicalName(*Main));
  // Absolute: a command's `-I.` opens "./config.h", which the cache
  // (Analyzer.cpp's inputsHash) reads from another directory.
  for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It)
    Out.Inputs.push_back(std::string(SM.getFileManager().getCanonicalName(It->first)));
  Out.InternalLocks.assign(TU.InternalLocks.begin(), TU.InternalLocks.end());
  Out.ExternalGlobals.assign(TU.ExternalGlobals.begin(), TU.ExternalGlobals.end());
  Out.LockTypes.assign(TU.LockTypes.begin(), TU.LockTypes.end());
  Out.FieldTargets.assign(V.FieldTargets.begin(), V.FieldTargets.end());
  Out.TargetFlows.assign(V.TargetFlows.begin(), V.TargetFlows.end());
}

} // namespace lockgraph::analyzer
