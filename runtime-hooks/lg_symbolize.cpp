//===- lg_symbolize.cpp - PCs and data addresses to names -------------------===//
#include "lg_symbolize.h"
#include "lg_internal.h"

#include <cxxabi.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern char **environ;

namespace lockgraph::rt {

std::string baseName(const std::string &Path) {
  size_t Slash = Path.rfind('/');
  return Slash == std::string::npos ? Path : Path.substr(Slash + 1);
}

namespace {

std::string demangle(const char *Name) {
  if (!Name)
    return {};
  int Status = 0;
  char *D = abi::__cxa_demangle(Name, nullptr, nullptr, &Status);
  if (Status == 0 && D) {
    std::string R = D;
    free(D);
    return R;
  }
  return Name;
}

std::string selfExe() {
  char Buf[4096];
  // The calling thread's view: /proc/self is the main thread's, which a
  // main that ended with pthread_exit has no more (the watchdog reports).
  ssize_t N = readlink("/proc/thread-self/exe", Buf, sizeof(Buf) - 1);
  if (N <= 0)
    N = readlink("/proc/self/exe", Buf, sizeof(Buf) - 1);
  if (N <= 0)
    return {};
  Buf[N] = 0;
  return Buf;
}

bool readWholeFd(int Fd, std::string &Out) {
  char Buf[65536];
  for (;;) {
    ssize_t N = ::read(Fd, Buf, sizeof(Buf));
    if (N < 0 && errno == EINTR)
      continue;
    if (N < 0)
      return false;
    if (N == 0)
      return true;
    Out.append(Buf, size_t(N));
  }
}

bool writeWholeFd(int Fd, const std::string &S) {
  size_t Done = 0;
  while (Done < S.size()) {
    ssize_t N = ::write(Fd, S.data() + Done, S.size() - Done);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return false;
    Done += size_t(N);
  }
  return true;
}

/// Sends \p Input to the symbolizer serving symbolizer_socket and reads its
/// whole answer (it closes the connection after answering). False when there
/// is no such server or it fails: the caller starts its own symbolizer.
bool querySymbolizerSocket(const std::string &Input, std::string &Output) {
  const char *Path = GFlags.symbolizer_socket;
  sockaddr_un Addr{};
  if (!Path || !*Path || strlen(Path) >= sizeof(Addr.sun_path))
    return false;
  Addr.sun_family = AF_UNIX;
  strcpy(Addr.sun_path, Path);
  int Fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (Fd < 0)
    return false;
  bool Ok = connect(Fd, reinterpret_cast<sockaddr *>(&Addr), sizeof(Addr)) == 0 &&
            writeWholeFd(Fd, Input) && shutdown(Fd, SHUT_WR) == 0 &&
            readWholeFd(Fd, Output);
  close(Fd);
  return Ok && !Output.empty();
}

const char *symbolizerPath() {
  if (GFlags.symbolizer && *GFlags.symbolizer)
    return access(GFlags.symbolizer, X_OK) == 0 ? GFlags.symbolizer : nullptr;
  static const char *Default = "/usr/lib/llvm-19/bin/llvm-symbolizer";
  return access(Default, X_OK) == 0 ? Default : nullptr;
}

} // namespace

namespace {
/// Modules dlclose'd while the program ran (rememberClosingModule).
constexpr unsigned MaxClosedModules = 64;
ClosingModule GClosed[MaxClosedModules];
std::atomic<unsigned> GNumClosed{0};

/// Whether a module is loaded at \p M's bias under its path.
bool moduleLoaded(const ClosingModule &M) {
  return dl_iterate_phdr(
             [](struct dl_phdr_info *Info, size_t, void *Data) -> int {
               const auto *M = static_cast<const ClosingModule *>(Data);
               return Info->dlpi_addr == M->Bias && Info->dlpi_name &&
                      !strcmp(Info->dlpi_name, M->Path);
             },
             const_cast<ClosingModule *>(&M)) != 0;
}
} // namespace

bool rememberClosingModule(void *Handle, ClosingModule &M) {
  const int SavedErrno = errno;
  struct link_map *Map = nullptr;
  M.NumRanges = 0;
  if (Handle && dlinfo(Handle, RTLD_DI_LINKMAP, &Map) == 0 && Map && Map->l_name &&
      *Map->l_name && strlen(Map->l_name) < sizeof(ClosingModule::Path)) {
    strcpy(M.Path, Map->l_name);
    M.Bias = Map->l_addr;
    M.InstancesBefore = GLocks.newestInstance();
    dl_iterate_phdr(
        [](struct dl_phdr_info *Info, size_t, void *Data) -> int {
          auto *M = static_cast<ClosingModule *>(Data);
          if (Info->dlpi_addr != M->Bias || !Info->dlpi_name || strcmp(Info->dlpi_name, M->Path))
            return 0;
          for (int I = 0; I < Info->dlpi_phnum && M->NumRanges < 8; ++I)
            if (Info->dlpi_phdr[I].p_type == PT_LOAD) {
              M->Lo[M->NumRanges] = M->Bias + Info->dlpi_phdr[I].p_vaddr;
              M->Hi[M->NumRanges++] =
                  M->Bias + Info->dlpi_phdr[I].p_vaddr + Info->dlpi_phdr[I].p_memsz;
            }
          return 1;
        },
        &M);
    bool Known = false;
    const unsigned N = std::min(GNumClosed.load(std::memory_order_acquire), MaxClosedModules);
    for (unsigned I = 0; I < N && !Known; ++I)
      Known = GClosed[I].Bias == M.Bias && !strcmp(GClosed[I].Path, M.Path);
    if (!Known && M.NumRanges) {
      const unsigned Slot = GNumClosed.fetch_add(1, std::memory_order_acq_rel);
      if (Slot < MaxClosedModules)
        GClosed[Slot] = M;
    }
  }
  errno = SavedErrno;
  return M.NumRanges != 0;
}

void retireLocksOfUnloaded(const ClosingModule &M) {
  const int SavedErrno = errno;
  if (!moduleLoaded(M))
    for (unsigned R = 0; R < M.NumRanges; ++R)
      forgetLocksIn(M.Lo[R], M.Hi[R]);
  errno = SavedErrno;
}

bool bornAfterClosedModule(uintptr_t Addr, uint32_t Instance) {
  const unsigned N = std::min(GNumClosed.load(std::memory_order_acquire), MaxClosedModules);
  bool After = false;
  for (unsigned C = 0; C < N && !After; ++C)
    for (unsigned R = 0; R < GClosed[C].NumRanges; ++R)
      After |= Addr >= GClosed[C].Lo[R] && Addr < GClosed[C].Hi[R] &&
               Instance > GClosed[C].InstancesBefore;
  Dl_info Info;
  return After && !dladdr(reinterpret_cast<void *>(Addr), &Info);
}

void Symbolizer::loadModules() {
  if (ModulesLoaded)
    return;
  ModulesLoaded = true;
  std::string Exe = selfExe();
  std::pair<std::vector<Module> *, std::string *> Args(&Modules, &Exe);
  dl_iterate_phdr(
      [](struct dl_phdr_info *Info, size_t, void *Data) -> int {
        auto *Args = static_cast<std::pair<std::vector<Module> *, std::string *> *>(Data);
        Module M;
        M.Path = Info->dlpi_name && *Info->dlpi_name ? Info->dlpi_name
                                                      : *Args->second;
        M.Bias = Info->dlpi_addr;
        for (int I = 0; I < Info->dlpi_phnum; ++I) {
          const ElfW(Phdr) &P = Info->dlpi_phdr[I];
          if (P.p_type == PT_LOAD)
            M.Ranges.push_back({M.Bias + P.p_vaddr,
                                M.Bias + P.p_vaddr + P.p_memsz});
        }
        if (!M.Path.empty() && !M.Ranges.empty())
          Args->first->push_back(std::move(M));
        return 0;
      },
      &Args);
  // Modules unloaded since, where no loaded module is now.
  const unsigned Closed = std::min(GNumClosed.load(std::memory_order_acquire), MaxClosedModules);
  for (unsigned C = 0; C < Closed; ++C) {
    const ClosingModule &CM = GClosed[C];
    bool Overlaps = false;
    for (unsigned R = 0; R < CM.NumRanges; ++R)
      Overlaps |= moduleFor(CM.Lo[R]) != nullptr || moduleFor(CM.Hi[R] - 1) != nullptr;
    if (Overlaps)
      continue;
    Module M;
    M.Path = CM.Path;
    M.Bias = CM.Bias;
    for (unsigned R = 0; R < CM.NumRanges; ++R)
      M.Ranges.push_back({CM.Lo[R], CM.Hi[R]});
    Modules.push_back(std::move(M));
  }
}

const Symbolizer::Module *Symbolizer::moduleFor(uintptr_t Addr) const {
  for (const Module &M : Modules)
    for (auto [Lo, Hi] : M.Ranges)
      if (Addr >= Lo && Addr < Hi)
        return &M;
  return nullptr;
}

void Symbolizer::addCode(uintptr_t PC) {
  if (!Code.count(PC)) {
    Code[PC] = {};
    PendingCode.push_back(PC);
  }
}

void Symbolizer::addData(uintptr_t Addr) {
  if (!Data.count(Addr)) {
    Data[Addr] = {};
    PendingData.push_back(Addr);
  }
}

void Symbolizer::run() {
  if (PendingCode.empty() && PendingData.empty())
    return;
  loadModules();
  // Default answers from dladdr; the external symbolizer refines them.
  runDladdr();
  if (GFlags.symbolize && (symbolizerPath() || *GFlags.symbolizer_socket))
    runExternal();
  PendingCode.clear();
  PendingData.clear();
}

void Symbolizer::runDladdr() {
  for (uintptr_t PC : PendingCode) {
    Frame F;
    const Module *M = moduleFor(PC);
    if (M) {
      F.Module = M->Path;
      F.Offset = PC - M->Bias;
    }
    Dl_info Info;
    if (dladdr(reinterpret_cast<void *>(PC - 1), &Info) && Info.dli_sname) {
      F.Function = demangle(Info.dli_sname);
      char Off[32];
      snprintf(Off, sizeof(Off), "+0x%lx",
               (unsigned long)(PC - reinterpret_cast<uintptr_t>(Info.dli_saddr)));
      F.Function += Off;
    }
    Code[PC] = {F};
  }
  for (uintptr_t A : PendingData) {
    Dl_info Info;
    ElfW(Sym) *Sym = nullptr;
    if (dladdr1(reinterpret_cast<void *>(A), &Info,
                reinterpret_cast<void **>(&Sym), RTLD_DL_SYMENT) &&
        Info.dli_sname && Sym) {
      uintptr_t Start = reinterpret_cast<uintptr_t>(Info.dli_saddr);
      if (A >= Start && A < Start + (Sym->st_size ? Sym->st_size : 1)) {
        DataSymbol &D = Data[A];
        D.Name = demangle(Info.dli_sname);
        D.Offset = A - Start;
      }
    }
  }
}

bool Symbolizer::runExternal() {
  std::vector<Query> Queries;
  std::string Input;
  char Line[4200];
  for (uintptr_t PC : PendingCode)
    if (const Module *M = moduleFor(PC)) {
      Queries.push_back({true, PC, M});
      snprintf(Line, sizeof(Line), "CODE \"%s\" 0x%lx\n", M->Path.c_str(),
               (unsigned long)(PC - 1 - M->Bias));
      Input += Line;
    }
  for (uintptr_t A : PendingData)
    if (const Module *M = moduleFor(A)) {
      Queries.push_back({false, A, M});
      snprintf(Line, sizeof(Line), "DATA \"%s\" 0x%lx\n", M->Path.c_str(),
               (unsigned long)(A - M->Bias));
      Input += Line;
    }
  if (Queries.empty())
    return true;

  std::string Output;
  if (querySymbolizerSocket(Input, Output))
    return parseSymbolizerOutput(Queries, Output);
  Output.clear();
  if (!symbolizerPath())
    return false;

  // In-memory files (memfd), not files in /tmp: nothing is left behind when
  // the process is killed mid-way, and a read-only /tmp does not matter.
  int InFd = memfd_create("lockgraph-sym-in", MFD_CLOEXEC);
  if (InFd < 0)
    return false;
  int OutFd = memfd_create("lockgraph-sym-out", MFD_CLOEXEC);
  if (OutFd < 0) {
    close(InFd);
    return false;
  }
  bool Ok = writeWholeFd(InFd, Input) && lseek(InFd, 0, SEEK_SET) == 0;
  if (Ok) {
    // The child must not run under the preload itself.
    std::vector<char *> Env;
    for (char **E = environ; E && *E; ++E)
      if (strncmp(*E, "LD_PRELOAD=", 11) != 0 &&
          strncmp(*E, "LOCKGRAPH_OPTIONS=", 18) != 0)
        Env.push_back(*E);
    Env.push_back(nullptr);
    posix_spawn_file_actions_t Actions;
    posix_spawn_file_actions_init(&Actions);
    // dup2 clears close-on-exec on the child's 0 and 1.
    posix_spawn_file_actions_adddup2(&Actions, InFd, 0);
    posix_spawn_file_actions_adddup2(&Actions, OutFd, 1);
    posix_spawn_file_actions_addopen(&Actions, 2, "/dev/null", O_WRONLY, 0);
    const char *Path = symbolizerPath();
    char *Argv[] = {const_cast<char *>(Path),
                    const_cast<char *>("--inlines"),
                    const_cast<char *>("--demangle"), nullptr};
    pid_t Pid;
    Ok = posix_spawn(&Pid, Path, &Actions, nullptr, Argv, Env.data()) == 0;
    posix_spawn_file_actions_destroy(&Actions);
    if (Ok) {
      int Status = 0;
      while (waitpid(Pid, &Status, 0) < 0 && errno == EINTR) {
      }
      Ok = WIFEXITED(Status) && WEXITSTATUS(Status) == 0 &&
           lseek(OutFd, 0, SEEK_SET) == 0 && readWholeFd(OutFd, Output);
    }
  }
  close(InFd);
  close(OutFd);
  return Ok && parseSymbolizerOutput(Queries, Output);
}

std::vector<std::string> Symbolizer::lockMembers(const std::vector<const Frame *> &Sites) {
  std::vector<std::string> Names(Sites.size());
  if (!GFlags.symbolize || !*GFlags.symbolizer_socket)
    return Names;
  std::string Input;
  std::vector<size_t> Asked;
  char Line[4400];
  for (size_t I = 0; I < Sites.size(); ++I) {
    const Frame *F = Sites[I];
    if (!F || !F->hasSource() || F->Module.empty() || !F->Offset ||
        F->File.find('\n') != std::string::npos)
      continue;
    int N = snprintf(Line, sizeof(Line), "LOCK \"%s\" 0x%lx %u %u %s\n", F->Module.c_str(),
                     (unsigned long)(F->Offset - 1), F->Line, F->Column, F->File.c_str());
    if (N <= 0 || size_t(N) >= sizeof(Line))
      continue;
    Input += Line;
    Asked.push_back(I);
  }
  std::string Output;
  if (Asked.empty() || !querySymbolizerSocket(Input, Output))
    return Names;
  // One line per query, in order; "??" where the service cannot tell.
  size_t Pos = 0;
  for (size_t I : Asked) {
    size_t End = Output.find('\n', Pos);
    if (End == std::string::npos)
      break;
    std::string Answer = Output.substr(Pos, End - Pos);
    Pos = End + 1;
    if (Answer != "??")
      Names[I] = std::move(Answer);
  }
  return Names;
}

bool Symbolizer::parseSymbolizerOutput(const std::vector<Query> &Queries,
                                       const std::string &Output) {
  // Blocks are separated by empty lines, one block per query, in order.
  std::vector<std::vector<std::string>> Blocks(1);
  size_t Pos = 0;
  while (Pos < Output.size()) {
    size_t End = Output.find('\n', Pos);
    if (End == std::string::npos)
      End = Output.size();
    std::string L = Output.substr(Pos, End - Pos);
    Pos = End + 1;
    if (L.empty()) {
      if (!Blocks.back().empty())
        Blocks.emplace_back();
      continue;
    }
    Blocks.back().push_back(L);
  }
  if (Blocks.back().empty())
    Blocks.pop_back();
  if (Blocks.size() != Queries.size())
    return false;

  auto ParseLoc = [](const std::string &S, Frame &F) {
    // file:line[:col]; "??:0:0" when unknown.
    size_t C2 = S.rfind(':');
    if (C2 == std::string::npos)
      return;
    size_t C1 = S.rfind(':', C2 - 1);
    unsigned A = unsigned(strtoul(S.c_str() + C2 + 1, nullptr, 10));
    if (C1 != std::string::npos && C1 < C2 &&
        S.find_first_not_of("0123456789", C1 + 1) == C2) {
      F.File = S.substr(0, C1);
      F.Line = unsigned(strtoul(S.c_str() + C1 + 1, nullptr, 10));
      F.Column = A;
    } else {
      F.File = S.substr(0, C2);
      F.Line = A;
    }
    if (F.File == "??") {
      F.File.clear();
      F.Line = F.Column = 0;
    }
  };

  for (size_t I = 0; I < Queries.size(); ++I) {
    const Query &Q = Queries[I];
    const auto &B = Blocks[I];
    if (Q.IsCode) {
      std::vector<Frame> Frames;
      for (size_t J = 0; J + 1 < B.size(); J += 2) {
        Frame F;
        F.Function = B[J] == "??" ? std::string() : B[J];
        ParseLoc(B[J + 1], F);
        F.Module = Q.M->Path;
        F.Offset = Q.Addr - Q.M->Bias;
        Frames.push_back(std::move(F));
      }
      if (!Frames.empty()) {
        // Keep dladdr's name when the symbolizer knows none.
        if (Frames[0].Function.empty() && !Code[Q.Addr].empty())
          Frames[0].Function = Code[Q.Addr][0].Function;
        Code[Q.Addr] = std::move(Frames);
      }
    } else if (B.size() >= 2 && B[0] != "??") {
      DataSymbol &D = Data[Q.Addr];
      unsigned long Start = strtoul(B[1].c_str(), nullptr, 10);
      unsigned long Size = strtoul(strchr(B[1].c_str(), ' ') ? strchr(B[1].c_str(), ' ') : "0", nullptr, 10);
      uint64_t Off = Q.Addr - Q.M->Bias;
      if (Off >= Start && Off < Start + (Size ? Size : 1)) {
        D.Name = B[0];
        D.Offset = Off - Start;
        if (B.size() >= 3)
          ParseLoc(B[2] + ":0", D.Decl);
      }
    }
  }
  return true;
}

const std::vector<Frame> &Symbolizer::code(uintptr_t PC) {
  std::vector<Frame> &V = Code[PC];
  if (V.empty()) {
    Frame F;
    V.push_back(F);
  }
  return V;
}

const DataSymbol *Symbolizer::data(uintptr_t Addr) {
  auto It = Data.find(Addr);
  if (It == Data.end() || It->second.Name.empty())
    return nullptr;
  return &It->second;
}

} // namespace lockgraph::rt
