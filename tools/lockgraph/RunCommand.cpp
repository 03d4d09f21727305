//===- RunCommand.cpp - lockgraph run (issue 4) ---------------------------===//
//
// lockgraph run [options] -- COMMAND [ARGS...]
//
// Runs COMMAND with the preload runtime (liblockgraph.so) in LD_PRELOAD and
// LOCKGRAPH_OPTIONS pointing every process it starts (the command and all its
// children, e.g. every test that `ctest` runs) at one graph directory. When
// the command has finished, every per-process graph file is read and merged
// by lock name, so that an order seen in one process and its reverse in
// another is a finding; cycles are found and filtered by core, the runtime's
// recorded findings (real deadlocks, blocking calls under a lock, misuse)
// are added, and everything is printed with the shared output options.
//
// Exit status: 0 no findings, 1 findings, 2 usage error or unreadable graph,
// 3 no findings but the command itself failed (its status is printed).
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "ReportOutput.h"
#include "SymbolizerService.h"

#include "lockgraph/core/Deadlocks.h"
#include "lockgraph/core/GraphFile.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/RandomNumberGenerator.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <optional>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

extern char **environ;

using namespace llvm;
using namespace lockgraph;

static cl::SubCommand RunCmd("run", "Run a command under the lockgraph preload "
                                    "runtime and report what it saw");

static cl::OptionCategory RunCategory("lockgraph run options");

static cl::list<std::string>
    CommandLine(cl::Positional, cl::OneOrMore, cl::value_desc("command"),
                cl::desc("-- <command> [args...]: the program to run (with "
                         "all the processes it starts)"),
                cl::sub(RunCmd), cl::cat(RunCategory));

static cl::opt<std::string> KeepGraphs(
    "keep-graphs", cl::value_desc("dir"),
    cl::desc("Write the per-process graph files to <dir> and keep them (for "
             "'lockgraph report' or to merge runs of sharded jobs); default: "
             "a temporary directory that is removed afterwards"),
    cl::sub(RunCmd), cl::cat(RunCategory));

static cl::opt<std::string> PreloadPath(
    "preload", cl::value_desc("path"),
    cl::desc("The preload runtime to use (default: liblockgraph.so in ../lib "
             "next to this lockgraph binary)"),
    cl::sub(RunCmd), cl::cat(RunCategory));

static cl::opt<std::string> RuntimeOptions(
    "runtime-options", cl::value_desc("key=value:..."),
    cl::desc("Extra LOCKGRAPH_OPTIONS for the runtime (see "
             "LOCKGRAPH_OPTIONS=help=1), e.g. abort_on_deadlock=1"),
    cl::sub(RunCmd), cl::cat(RunCategory));

static cl::opt<bool> ProcessReports(
    "process-reports",
    cl::desc("Also let every process print its own reports on stderr (by "
             "default only the merged report is printed; real deadlocks and "
             "self-deadlocks are always printed when they happen)"),
    cl::init(false), cl::sub(RunCmd), cl::cat(RunCategory));

static tool::OutputOptions Output(RunCmd, RunCategory);

bool lockgraph::tool::runCommandSelected() { return bool(RunCmd); }

namespace {


/// liblockgraph.so next to this binary: <prefix>/bin/lockgraph ->
/// <prefix>/lib/liblockgraph.so.
std::optional<std::string> findPreload() {
  if (!PreloadPath.empty()) {
    if (!sys::fs::exists(PreloadPath))
      return std::nullopt;
    SmallString<256> Abs(PreloadPath.getValue());
    sys::fs::make_absolute(Abs);
    return std::string(Abs);
  }
  static int Anchor;
  std::string Exe = sys::fs::getMainExecutable(nullptr, &Anchor);
  SmallString<256> P(sys::path::parent_path(sys::path::parent_path(Exe)));
  sys::path::append(P, "lib", "liblockgraph.so");
  if (sys::fs::exists(P))
    return std::string(P);
  return std::nullopt;
}

/// The environment of the command: ours, with the preload appended to
/// LD_PRELOAD and our options appended to LOCKGRAPH_OPTIONS (later keys win).
std::vector<std::string> childEnvironment(StringRef Preload,
                                          StringRef GraphDir,
                                          StringRef SymbolizerSocket) {
  std::vector<std::string> Env;
  std::string OldPreload, OldOptions;
  for (char **E = environ; E && *E; ++E) {
    StringRef Var(*E);
    if (Var.consume_front("LD_PRELOAD="))
      OldPreload = Var.str();
    else if (Var.consume_front("LOCKGRAPH_OPTIONS="))
      OldOptions = Var.str();
    else
      Env.push_back(*E);
  }
  std::string NewPreload = OldPreload;
  if (!NewPreload.empty())
    NewPreload += ":";
  NewPreload += Preload.str();
  Env.push_back("LD_PRELOAD=" + NewPreload);

  std::string Opts = OldOptions;
  auto Add = [&](StringRef S) {
    if (S.empty())
      return;
    if (!Opts.empty())
      Opts += ":";
    Opts += S.str();
  };
  // Test drivers' own locks (ctest's libuv) are not the code under test;
  // --runtime-options=ignore_programs= records them too.
  Add("ignore_programs=\"ctest,cmake,make,gmake,ninja,samu,meson\"");
  Add(RuntimeOptions);
  Add("output_dir=\"" + GraphDir.str() + "\"");
  if (!SymbolizerSocket.empty())
    Add("symbolizer_socket=\"" + SymbolizerSocket.str() + "\"");
  if (!ProcessReports)
    Add("report_at_exit=0:print_findings=0");
  Env.push_back("LOCKGRAPH_OPTIONS=" + Opts);
  return Env;
}

/// Run as root, the command may drop its privileges (a server's
/// `-u nobody`), and its processes must still be able to write their
/// graphs. They get a directory any user may write to but not list or
/// remove the others' files from (as /tmp: sticky), under a random name in
/// \p RunDir, which other users may pass through but not list: a local
/// user who cannot learn the name cannot slip a graph of their own into
/// the report.
std::error_code makeDropBox(StringRef RunDir, SmallString<256> &Out) {
  uint8_t Secret[16];
  if (std::error_code EC = getRandomBytes(Secret, sizeof(Secret)))
    return EC;
  Out = RunDir;
  sys::path::append(Out, toHex(ArrayRef<uint8_t>(Secret), /*LowerCase=*/true));
  if (std::error_code EC = sys::fs::create_directory(Out, /*IgnoreExisting=*/false))
    return EC;
  using namespace sys::fs;
  if (std::error_code EC =
          setPermissions(Out, perms(owner_all | group_write | group_exe | others_write |
                                    others_exe | sticky_bit)))
    return EC;
  return setPermissions(RunDir, perms(owner_all | group_exe | others_exe));
}

Expected<std::vector<std::string>> graphFilesIn(StringRef Dir) {
  std::vector<std::string> Files;
  std::error_code EC;
  for (sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC)) {
    StringRef Name = sys::path::filename(It->path());
    if (Name.starts_with("lockgraph.") && Name.ends_with(".json") &&
        It->type() == sys::fs::file_type::regular_file)
      Files.push_back(It->path());
  }
  if (EC)
    return createStringError(EC, "cannot list '" + Dir + "': " + EC.message());
  std::sort(Files.begin(), Files.end());
  return Files;
}

/// Whether a reported cycle shows a held lock's stack of one frame where
/// the acquisition under it has more: the frame-pointer unwinder stopped.
bool heldStacksStopEarly(const std::vector<Finding> &Findings, const LockGraph &G) {
  for (const Finding &F : Findings)
    for (const Edge &E : G.edges())
      if (llvm::is_contained(F.Locks, G.lock(E.From).Name) &&
          llvm::is_contained(F.Locks, G.lock(E.To).Name))
        for (const EdgeEvidence &Ev : E.Evidence)
          if (Ev.HeldAt.size() == 1 && Ev.AcquiredAt.size() > 1)
            return true;
  return false;
}

bool heldStacksStopEarly(const std::vector<Finding> &Findings,
                         const tool::OutputOptions::Graphs &Read) {
  return heldStacksStopEarly(Findings, Read.Merged) ||
         llvm::any_of(Read.PerProcess, [&](const LockGraph &G) {
           return heldStacksStopEarly(Findings, G);
         });
}

/// The descriptors open in this process (Linux: /proc/self/fd), less the
/// one that listing them used.
std::set<int> openDescriptors() {
  std::vector<int> Listed;
  {
    std::error_code EC;
    for (sys::fs::directory_iterator It("/proc/self/fd", EC), End; !EC && It != End;
         It.increment(EC))
      if (int Fd; !StringRef(sys::path::filename(It->path())).getAsInteger(10, Fd))
        Listed.push_back(Fd);
  }
  std::set<int> Fds;
  for (int Fd : Listed)
    if (::fcntl(Fd, F_GETFD) != -1)
      Fds.insert(Fd);
  return Fds;
}

/// While it lives, SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to lockgraph
/// (by kill, not by the terminal, which signals the command itself too)
/// are passed to the command instead of ending lockgraph and losing the
/// command's report: `timeout`, CI runners and `kill` stop the command, and
/// the run still reports what it recorded.
class ForwardSignals {
public:
  ForwardSignals() {
    Child = 0;
    Pending = 0;
    struct sigaction Action = {};
    Action.sa_sigaction = forward;
    Action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&Action.sa_mask);
    for (size_t I = 0; I < std::size(Signals); ++I)
      sigaction(Signals[I], &Action, &Saved[I]);
  }
  ~ForwardSignals() {
    for (size_t I = 0; I < std::size(Signals); ++I)
      sigaction(Signals[I], &Saved[I], nullptr);
    Child = 0;
  }
  /// From now on to \p Pid, with what came before it started.
  void to(pid_t Pid) {
    Child = Pid;
    if (int Sig = Pending)
      ::kill(Pid, Sig);
  }

private:
  static void forward(int Sig, siginfo_t *Info, void *) {
    if (Info && Info->si_code == SI_KERNEL)
      return; // from the terminal: the command's process group has it too
    if (pid_t Pid = Child)
      ::kill(Pid, Sig);
    else
      Pending = Sig;
  }
  static constexpr int Signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
  static inline volatile sig_atomic_t Child = 0, Pending = 0;
  struct sigaction Saved[std::size(Signals)];
};

} // namespace

int lockgraph::tool::runRunCommand() {
  if (llvm::Error E = Output.loadConfig()) {
    printError(llvm::toString(std::move(E)));
    return ExitUsageError;
  }
  std::optional<std::string> Preload = findPreload();
  if (!Preload) {
    printError(PreloadPath.empty()
                   ? Twine("cannot find liblockgraph.so next to the lockgraph "
                           "binary; pass --preload=<path>")
                   : Twine("no such preload library '") + PreloadPath + "'");
    return ExitUsageError;
  }

  // Where the processes write their graphs: RunDir, or a directory in it.
  SmallString<256> RunDir, GraphDir;
  bool Temporary = KeepGraphs.empty();
  if (Temporary) {
    if (std::error_code EC =
            sys::fs::createUniqueDirectory("lockgraph-run", RunDir)) {
      printError("cannot create a temporary directory: " + EC.message());
      return ExitUsageError;
    }
  } else {
    RunDir = KeepGraphs.getValue();
    if (std::error_code EC = sys::fs::create_directories(RunDir)) {
      printError("cannot create '" + KeepGraphs + "': " + EC.message());
      return ExitUsageError;
    }
  }
  sys::fs::make_absolute(RunDir);
  GraphDir = RunDir;
  auto Cleanup = [&] {
    if (Temporary)
      sys::fs::remove_directories(RunDir);
  };
  if (Temporary && ::geteuid() == 0)
    if (std::error_code EC = makeDropBox(RunDir, GraphDir)) {
      printError("cannot create a temporary directory: " + EC.message());
      Cleanup();
      return ExitUsageError;
    }

  // What lockgraph itself opens from here on (the symbolizer's socket and
  // its wake-up pipe) is not the command's: closed at its exec.
  const std::set<int> Inherited = openDescriptors();
  std::string Program = CommandLine[0];
  if (Program.find('/') == std::string::npos) {
    ErrorOr<std::string> Found = sys::findProgramByName(Program);
    if (!Found) {
      printError("cannot find '" + Program + "' in PATH");
      Cleanup();
      return ExitUsageError;
    }
    Program = *Found;
  }
  // One symbolizer for every process of the command (SymbolizerService.h).
  // A socket path must fit sockaddr_un; a long graph directory gets a
  // private directory of its own for it.
  SymbolizerService Symbolizer;
  SmallString<256> SocketDir = RunDir, SocketPath;
  if (RunDir.size() > 80 &&
      sys::fs::createUniqueDirectory("lockgraph-sym", SocketDir))
    SocketDir.clear();
  if (!SocketDir.empty()) {
    SocketPath = SocketDir;
    sys::path::append(SocketPath, "symbolizer.sock");
    if (llvm::Error E = Symbolizer.start(SocketPath)) {
      // The processes then start llvm-symbolizer themselves, as without it.
      consumeError(std::move(E));
      SocketPath.clear();
    }
  }
  auto StopSymbolizer = [&] {
    Symbolizer.stop();
    if (SocketDir != RunDir && !SocketDir.empty())
      sys::fs::remove_directories(SocketDir);
  };

  std::vector<StringRef> Args(CommandLine.begin(), CommandLine.end());
  std::vector<std::string> EnvStrings =
      childEnvironment(*Preload, GraphDir, SocketPath);
  std::vector<StringRef> Env(EnvStrings.begin(), EnvStrings.end());

  for (int Fd : openDescriptors())
    if (!Inherited.count(Fd))
      if (int Flags = ::fcntl(Fd, F_GETFD); Flags >= 0)
        ::fcntl(Fd, F_SETFD, Flags | FD_CLOEXEC);

  std::string ErrMsg;
  bool ExecFailed = false;
  int Status;
  {
    // An interrupt or termination sent to lockgraph goes to the command,
    // whose graphs are then reported as usual when it has exited.
    ForwardSignals Forward;
    sys::ProcessInfo Child = sys::ExecuteNoWait(Program, Args, Env, /*Redirects=*/{},
                                                /*MemoryLimit=*/0, &ErrMsg, &ExecFailed);
    if (!ExecFailed && Child.Pid > 0) {
      Forward.to(Child.Pid);
      Status = sys::Wait(Child, /*SecondsToWait=*/std::nullopt, &ErrMsg).ReturnCode;
    } else {
      ExecFailed = true;
      Status = -1;
    }
  }
  StopSymbolizer();
  if (ExecFailed) {
    printError("cannot run '" + CommandLine[0] + "': " + ErrMsg);
    Cleanup();
    return ExitUsageError;
  }

  // Merge every process's graph.
  Expected<std::vector<std::string>> Files = graphFilesIn(GraphDir);
  if (!Files) {
    printError(toString(Files.takeError()));
    Cleanup();
    return ExitUsageError;
  }
  tool::OutputOptions::Graphs Read;
  bool InputError = !Output.readGraphs(*Files, Read);
  Cleanup();
  std::vector<Finding> Findings = Output.analyze(Read);
  const LockGraph &Merged = Read.Merged;

  // Condition variables and thread classes are nodes too, but not locks.
  size_t WaitNodes = llvm::count_if(
      Merged.locks(), [](const Lock &L) { return isWaitKind(L.Kind); });
  size_t WaitEdges = llvm::count_if(Merged.edges(), [&](const Edge &E) {
    return isWaitKind(Merged.lock(E.From).Kind) || isWaitKind(Merged.lock(E.To).Kind);
  });
  // The graph has the locks that are in an edge (not every lock taken).
  const size_t Locks = Merged.locks().size() - WaitNodes;
  const size_t Edges = Merged.edges().size() - WaitEdges;
  errs() << "lockgraph: " << Files->size() << " process"
         << (Files->size() == 1 ? "" : "es") << " recorded, " << Locks << " lock"
         << (Locks == 1 ? "" : "s") << " in the graph, " << Edges << " lock-order edge"
         << (Edges == 1 ? "" : "s");
  if (WaitNodes)
    errs() << ", " << WaitNodes << " wait node" << (WaitNodes == 1 ? "" : "s")
           << " (condition variables, thread classes) with " << WaitEdges
           << " edge" << (WaitEdges == 1 ? "" : "s");
  errs() << "\n";
  if (Files->empty())
    printWarning("no process wrote a lock graph: none loaded the runtime (a "
                 "statically linked or setuid program, or one that clears "
                 "LD_PRELOAD?), or each was killed before it exited");
  LockGraph Drawn = tool::OutputOptions::drawnGraph(Read, Findings);
  int Result = Output.emit(Findings, &Drawn);
  tool::noteSampledOut(Merged);
  if (heldStacksStopEarly(Findings, Read))
    errs() << "lockgraph: hint: a held lock's stack stops at the function that "
              "took it (code without frame pointers); "
              "--runtime-options=held_stack_unwind=1 or -fno-omit-frame-pointer "
              "shows its callers\n";

  if (Status != 0) {
    if (Status == -2)
      printWarning("the command was killed by a signal: " + ErrMsg);
    else
      printWarning("the command exited with status " + Twine(Status));
  }
  if (InputError)
    return ExitUsageError;
  if (Result == ExitClean && Status != 0)
    return ExitCommandFailed;
  return Result;
}
