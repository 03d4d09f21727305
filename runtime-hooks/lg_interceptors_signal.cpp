//===- lg_interceptors_signal.cpp - Fatal signals, _exit: report first --===//
//
// A process killed by SIGSEGV, SIGBUS, SIGFPE, SIGILL or SIGABRT never runs
// its atexit handlers, so the exit report and the graph file would be lost;
// nor does one stopped by SIGTERM, SIGINT, SIGHUP or SIGQUIT (a server
// stopped by `kill`, a test run interrupted, `timeout`). The runtime
// installs its own handler for those whose disposition is SIG_DFL when it
// starts, and only for those: a program that handles a fatal signal itself
// keeps its handler untouched.
//
// The program must not notice:
//   - sigaction() and signal() are interposed so that the program still
//     reads back SIG_DFL (with the flags and mask it set) where the runtime's
//     handler stands in for it; a program installing its own handler
//     replaces ours; one setting SIG_DFL again (a crash handler that
//     re-raises) gets ours back in place of the default.
//   - The handler first restores the default disposition, writes the report
//     and the graph file (finalReport, as at exit but without exitcode), then
//     lets the signal kill the process as it would have: a fault returns and
//     faults again, a sent signal (abort, raise, kill) is sent again; the
//     exit status is the signal's.
//
// "Where safe": nothing is written when the signal interrupted the runtime
// itself (the thread was inside an interposed call), when it is a second
// fatal signal, or in a vfork child. Writing the report allocates and starts
// the symbolizer; after heap corruption that can block, so the watchdog
// thread (when the program has started one) ends the process with the same
// signal if the report is not done within 10 seconds.
//
// _exit, _Exit and quick_exit skip atexit handlers too: they report and
// write the graph first, as at exit (exitcode included). A forked child that
// ends with _exit writes its own graph this way; a vfork child writes
// nothing. _exit is async-signal-safe and the report is not (it allocates):
// a handler that calls _exit after interrupting malloc could hang in the
// report. So the exit report, on every exit path, runs under a SIGALRM
// deadline (report_timeout) that ends the process with the program's own
// status if the report has not finished by then.
//
//===----------------------------------------------------------------------===//
#include "lg_internal.h"
#include "lg_real.h"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace lockgraph::rt;

LG_DEFINE_REAL(int, sigaction,
               (int, const struct sigaction *, struct sigaction *))
LG_DEFINE_REAL(sighandler_t, signal, (int, sighandler_t))

namespace {

/// Raised by the faulting instruction itself, when the kernel sends them
/// (si_code > 0): it faults again when the handler returns.
bool isFault(int Sig) {
  return Sig == SIGSEGV || Sig == SIGBUS || Sig == SIGFPE || Sig == SIGILL;
}

const int FatalSignals[] = {SIGSEGV, SIGBUS,  SIGFPE, SIGILL, SIGABRT,
                            SIGTERM, SIGINT, SIGHUP, SIGQUIT};

bool isFatal(int Sig) {
  for (int Fatal : FatalSignals)
    if (Sig == Fatal)
      return true;
  return false;
}

/// What the program set (or inherited) for each fatal signal whose handler
/// is ours: always SIG_DFL, with the program's flags and mask.
struct sigaction Program[NSIG];

std::atomic<int> Handling{0};
std::atomic<uint64_t> FatalStart{0};
std::atomic<int> FatalSig{0};

void fatalHandler(int Sig, siginfo_t *Info, void *);

bool isOurs(const struct sigaction &A) {
  return (A.sa_flags & SA_SIGINFO) && A.sa_sigaction == fatalHandler;
}

struct sigaction ourAction() {
  struct sigaction A = {};
  A.sa_sigaction = fatalHandler;
  A.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&A.sa_mask);
  return A;
}

bool safeToReport() {
  if (GState.load(std::memory_order_acquire) != 2)
    return false;
  if (pid_t(syscall(SYS_getpid)) != GPid.load(std::memory_order_relaxed))
    return false; // a vfork child: the parent's state is not ours to write
  ThreadState *T = TLSState;
  return !T || !T->InRuntime;
}

void fatalHandler(int Sig, siginfo_t *Info, void *) {
  int SavedErrno = errno;
  // The program's own disposition first: a fault inside the report dies.
  LG_REAL(sigaction)(Sig, &Program[Sig], nullptr);
  if (!Handling.exchange(1) && safeToReport()) {
    FatalSig.store(Sig);
    FatalStart.store(nowNs());
    LG_VREPORT(1, "lockgraph: fatal signal %d: writing the report\n", Sig);
    finalReport(false);
  }
  errno = SavedErrno;
  // A fault re-executes the faulting instruction on return; a signal that
  // was sent (si_code <= 0: abort, raise, kill; a terminal's interrupt) is
  // sent again, and is delivered with the default action as soon as this
  // handler returns.
  if (!isFault(Sig) || !Info || Info->si_code <= 0)
    syscall(SYS_tgkill, syscall(SYS_getpid), syscall(SYS_gettid), Sig);
}

} // namespace

namespace lockgraph::rt {

void installFatalHandlers() {
  for (int Sig : FatalSignals) {
    struct sigaction Cur;
    if (LG_REAL(sigaction)(Sig, nullptr, &Cur) != 0)
      continue;
    if (Cur.sa_handler != SIG_DFL)
      continue; // the program's handler (or SIG_IGN) stays
    Program[Sig] = Cur;
    struct sigaction A = ourAction();
    LG_REAL(sigaction)(Sig, &A, nullptr);
  }
}

/// From the watchdog: a fatal-signal report that hangs (heap corruption)
/// must not keep the process alive.
void checkFatalDeadline() {
  uint64_t Start = FatalStart.load(std::memory_order_relaxed);
  if (!Start || nowNs() - Start < 10000000000ULL)
    return;
  int Sig = FatalSig.load();
  struct sigaction Dfl = {};
  Dfl.sa_handler = SIG_DFL;
  LG_REAL(sigaction)(Sig, &Dfl, nullptr);
  rawPrintf("lockgraph: the report on signal %d did not finish in 10 s; "
            "letting the signal end the process\n", Sig);
  // Process-directed: taken by a thread that does not block it (this one).
  syscall(SYS_kill, syscall(SYS_getpid), Sig);
}

} // namespace lockgraph::rt

LG_INTERFACE int sigaction(int Sig, const struct sigaction *Act,
                           struct sigaction *Old) {
  if (!isFatal(Sig) || GState.load(std::memory_order_acquire) < 2 ||
      !GFlags.handle_fatal_signals)
    return LG_REAL(sigaction)(Sig, Act, Old);
  struct sigaction Cur;
  if (LG_REAL(sigaction)(Sig, nullptr, &Cur) != 0)
    return LG_REAL(sigaction)(Sig, Act, Old); // errno as the program expects
  const bool WasOurs = isOurs(Cur);
  const struct sigaction Seen = WasOurs ? Program[Sig] : Cur;
  int R;
  if (Act && Act->sa_handler == SIG_DFL) {
    // Back to the default: ours stands in for it again.
    struct sigaction Saved = *Act;
    struct sigaction A = ourAction();
    R = LG_REAL(sigaction)(Sig, &A, nullptr);
    if (R == 0)
      Program[Sig] = Saved;
  } else {
    R = LG_REAL(sigaction)(Sig, Act, nullptr);
  }
  if (R == 0 && Old)
    *Old = Seen;
  return R;
}

LG_DEFINE_REAL(void, _exit, (int))
LG_DEFINE_REAL(void, _Exit, (int))
LG_DEFINE_REAL(void, quick_exit, (int))

namespace {
std::atomic<int> ExitStatus{0};

void exitDeadline(int) {
  rawPrintf("lockgraph: the exit report did not finish in %d s; exiting "
            "without it (report_timeout)\n", GFlags.report_timeout);
  LG_REAL(_exit)(ExitStatus.load());
}

void reportBeforeExit(int Status) {
  if (!safeToReport())
    return;
  armExitDeadline(Status);
  finalReport(true); // ends the process itself when exitcode applies
}
} // namespace

namespace lockgraph::rt {
static struct sigaction ProgramAlarm;
static bool DeadlineArmed = false;

void armExitDeadline(int Status) {
  if (GFlags.report_timeout <= 0)
    return;
  ExitStatus.store(Status);
  struct sigaction Deadline = {};
  Deadline.sa_handler = exitDeadline;
  sigemptyset(&Deadline.sa_mask);
  DeadlineArmed = LG_REAL(sigaction)(SIGALRM, &Deadline, &ProgramAlarm) == 0;
  sigset_t Alarm;
  sigemptyset(&Alarm);
  sigaddset(&Alarm, SIGALRM);
  pthread_sigmask(SIG_UNBLOCK, &Alarm, nullptr);
  alarm(unsigned(GFlags.report_timeout));
}

void disarmExitDeadline() {
  if (!DeadlineArmed)
    return;
  alarm(0);
  LG_REAL(sigaction)(SIGALRM, &ProgramAlarm, nullptr);
  DeadlineArmed = false;
}
} // namespace lockgraph::rt

LG_INTERFACE void _exit(int Status) {
  reportBeforeExit(Status);
  LG_REAL(_exit)(Status);
  __builtin_unreachable();
}

LG_INTERFACE void _Exit(int Status) {
  reportBeforeExit(Status);
  LG_REAL(_Exit)(Status);
  __builtin_unreachable();
}

// quick_exit runs the at_quick_exit handlers, then ends the process with an
// _exit of its own (below the PLT): report first, as for _exit.
LG_INTERFACE void quick_exit(int Status) {
  reportBeforeExit(Status);
  LG_REAL(quick_exit)(Status);
  __builtin_unreachable();
}

LG_INTERFACE sighandler_t signal(int Sig, sighandler_t H) {
  if (!isFatal(Sig) || GState.load(std::memory_order_acquire) < 2 ||
      !GFlags.handle_fatal_signals)
    return LG_REAL(signal)(Sig, H);
  // glibc's signal(): BSD semantics.
  struct sigaction A = {}, Old;
  A.sa_handler = H;
  sigemptyset(&A.sa_mask);
  sigaddset(&A.sa_mask, Sig);
  A.sa_flags = SA_RESTART;
  if (sigaction(Sig, &A, &Old) != 0)
    return SIG_ERR;
  return Old.sa_handler;
}
