//===- Analyzer.cpp - Compilation database, thread pool, cache ------------===//
#include "lockgraph/analyzer/Analyzer.h"
#include "lockgraph/analyzer/Linker.h"

#include "clang/Basic/DiagnosticOptions.h"
#include "clang/Driver/Options.h"
#include "clang/Driver/Types.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/xxhash.h"

#include <mutex>
#include <set>

using namespace clang;
using namespace clang::tooling;
using namespace llvm;

#ifndef LOCKGRAPH_CLANG_RESOURCE_DIR
#define LOCKGRAPH_CLANG_RESOURCE_DIR ""
#endif

namespace lockgraph::analyzer {

namespace {

class SummaryConsumer : public ASTConsumer {
public:
  SummaryConsumer(CompilerInstance &CI, const TUAnalysisOptions &Opts, TUSummary &Out,
                  bool &Analyzed)
      : CI(CI), Opts(Opts), Out(Out), Analyzed(Analyzed) {}
  void HandleTranslationUnit(ASTContext &Ctx) override {
    if (CI.getDiagnostics().hasErrorOccurred())
      return; // do not analyze a broken AST
    analyzeTranslationUnit(Ctx, Opts, Out);
    Analyzed = true;
  }

private:
  CompilerInstance &CI;
  const TUAnalysisOptions &Opts;
  TUSummary &Out;
  bool &Analyzed;
};

/// Collects TUSummary::MainFileMacros: the names a main-file conditional
/// mentions (taken or not, defined or not) and the macros expanded there.
class MainFileMacroNames : public PPCallbacks {
public:
  MainFileMacroNames(const SourceManager &SM, const LangOptions &LangOpts,
                     std::set<std::string> &Names)
      : SM(SM), LangOpts(LangOpts), Names(Names) {}

  void Ifdef(SourceLocation Loc, const Token &Name, const MacroDefinition &) override {
    tested(Loc, Name);
  }
  void Ifndef(SourceLocation Loc, const Token &Name, const MacroDefinition &) override {
    tested(Loc, Name);
  }
  void Elifdef(SourceLocation Loc, const Token &Name, const MacroDefinition &) override {
    tested(Loc, Name);
  }
  void Elifdef(SourceLocation Loc, SourceRange Condition, SourceLocation) override {
    condition(Loc, Condition);
  }
  void Elifndef(SourceLocation Loc, const Token &Name, const MacroDefinition &) override {
    tested(Loc, Name);
  }
  void Elifndef(SourceLocation Loc, SourceRange Condition, SourceLocation) override {
    condition(Loc, Condition);
  }
  // An undefined name in a condition expands to nothing: its text tells.
  void If(SourceLocation Loc, SourceRange Condition, ConditionValueKind) override {
    condition(Loc, Condition);
  }
  void Elif(SourceLocation Loc, SourceRange Condition, ConditionValueKind,
            SourceLocation) override {
    condition(Loc, Condition);
  }
  void MacroExpands(const Token &Name, const MacroDefinition &, SourceRange,
                    const MacroArgs *) override {
    if (SM.isInMainFile(SM.getExpansionLoc(Name.getLocation())))
      if (const IdentifierInfo *II = Name.getIdentifierInfo())
        Names.insert(II->getName().str());
  }

private:
  void tested(SourceLocation Loc, const Token &Name) {
    if (SM.isInMainFile(Loc))
      if (const IdentifierInfo *II = Name.getIdentifierInfo())
        Names.insert(II->getName().str());
  }
  void condition(SourceLocation Loc, SourceRange Condition) {
    if (!SM.isInMainFile(Loc) || Condition.isInvalid())
      return;
    // Where the directive's text is (a condition may start or end in a
    // builtin macro's expansion), copied: the raw lexer stops at the
    // buffer's terminating NUL.
    const CharSourceRange Range = SM.getExpansionRange(Condition);
    const std::string Text = Lexer::getSourceText(Range, SM, LangOpts).str();
    Lexer Raw(Range.getBegin(), LangOpts, Text.data(), Text.data(), Text.data() + Text.size());
    Token Tok;
    for (bool AtEnd = false; !AtEnd;) {
      AtEnd = Raw.LexFromRawLexer(Tok);
      if (Tok.is(tok::raw_identifier))
        Names.insert(Tok.getRawIdentifier().str());
      else if (Tok.is(tok::eof))
        break;
    }
  }

  const SourceManager &SM;
  const LangOptions &LangOpts;
  std::set<std::string> &Names;
};

class SummaryAction : public ASTFrontendAction {
public:
  SummaryAction(const TUAnalysisOptions &Opts, TUSummary &Out, bool &Analyzed)
      : Opts(Opts), Out(Out), Analyzed(Analyzed) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI, StringRef) override {
    CI.getPreprocessor().addPPCallbacks(std::make_unique<MainFileMacroNames>(
        CI.getSourceManager(), CI.getLangOpts(), MacroNames));
    return std::make_unique<SummaryConsumer>(CI, Opts, Out, Analyzed);
  }
  void EndSourceFileAction() override {
    Out.MainFileMacros.assign(MacroNames.begin(), MacroNames.end());
  }

private:
  const TUAnalysisOptions &Opts;
  TUSummary &Out;
  bool &Analyzed;
  std::set<std::string> MacroNames;
};

class SummaryActionFactory : public FrontendActionFactory {
public:
  SummaryActionFactory(const TUAnalysisOptions &Opts, TUSummary &Out, bool &Analyzed)
      : Opts(Opts), Out(Out), Analyzed(Analyzed) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<SummaryAction>(Opts, Out, Analyzed);
  }

private:
  const TUAnalysisOptions &Opts;
  TUSummary &Out;
  bool &Analyzed;
};

/// A compilation database without compiler front-end invocations (`clang
/// -cc1 ...`), which bear records beside the driver's command when one clang
/// command compiles several files: no tool can run them as commands, and
/// with them a file failed to parse although its driver command was there.
class DriverCommandsOnly : public CompilationDatabase {
public:
  explicit DriverCommandsOnly(std::unique_ptr<CompilationDatabase> Base)
      : Base(std::move(Base)) {}

  std::vector<CompileCommand> getCompileCommands(StringRef File) const override {
    return drivers(Base->getCompileCommands(File));
  }
  std::vector<std::string> getAllFiles() const override {
    std::vector<std::string> Files = Base->getAllFiles();
    llvm::erase_if(Files, [&](const std::string &F) { return getCompileCommands(F).empty(); });
    return Files;
  }
  std::vector<CompileCommand> getAllCompileCommands() const override {
    return drivers(Base->getAllCompileCommands());
  }

private:
  static std::vector<CompileCommand> drivers(std::vector<CompileCommand> Cmds) {
    llvm::erase_if(Cmds, [](const CompileCommand &C) {
      return C.CommandLine.size() > 1 && C.CommandLine[1] == "-cc1";
    });
    return Cmds;
  }
  std::unique_ptr<CompilationDatabase> Base;
};

/// One compile command, whatever file is asked for: each variant of a file
/// (TUSummary::Variant) is analyzed by one of its commands. (A tool given
/// all of them would run each into the same summary.)
class SingleCommand : public CompilationDatabase {
public:
  explicit SingleCommand(CompileCommand Cmd) : Cmd(std::move(Cmd)) {}
  std::vector<CompileCommand> getCompileCommands(StringRef) const override { return {Cmd}; }

private:
  CompileCommand Cmd;
};

/// \p Cmd's arguments as the clang driver reads them; the strings stay
/// \p Cmd's.
opt::InputArgList driverArgs(const CompileCommand &Cmd) {
  std::vector<const char *> Argv;
  for (const std::string &A : ArrayRef(Cmd.CommandLine).drop_front())
    Argv.push_back(A.c_str());
  unsigned MissingIndex, MissingCount;
  return clang::driver::getDriverOptTable().ParseArgs(
      Argv, MissingIndex, MissingCount, opt::Visibility(clang::driver::options::ClangOption));
}

/// Whether \p Cmd compiles C, C++ or Objective-C (or a dialect of them):
/// the type the driver gives the file, from its extension or an explicit
/// "-x LANG". An assembly file (zstd's huf_decompress_amd64.S) or any other
/// input has no locks to find, and parsed as C it would only be an error.
bool compilesCFamily(const CompileCommand &Cmd) {
  namespace types = clang::driver::types;
  namespace options = clang::driver::options;
  types::ID Kind = types::lookupTypeForExtension(sys::path::extension(Cmd.Filename).drop_front());
  const opt::InputArgList Args = driverArgs(Cmd);
  if (const opt::Arg *X = Args.getLastArg(options::OPT_x))
    if (StringRef(X->getValue()) != "none")
      Kind = types::lookupTypeForTypeSpecifier(X->getValue());
  return types::isDerivedFromC(Kind);
}

/// TUSummary::Target of a file compiled by \p Cmds.
std::string buildTarget(const std::vector<CompileCommand> &Cmds) {
  std::optional<std::string> Target;
  for (const CompileCommand &Cmd : Cmds) {
    std::string Output = Cmd.Output;
    if (Output.empty())
      Output = driverArgs(Cmd).getLastArgValue(clang::driver::options::OPT_o).str();
    SmallString<256> Path(Output);
    if (!Output.empty())
      sys::fs::make_absolute(Cmd.Directory, Path);
    std::string Here;
    SmallString<256> Prefix;
    StringRef Parent;
    for (StringRef Part : make_range(sys::path::begin(Path), sys::path::end(Path))) {
      sys::path::append(Prefix, Part);
      if ((Part.ends_with(".dir") && Parent == "CMakeFiles") ||
          (Part.ends_with(".p") && Part.size() > 2)) {
        Here = std::string(Prefix);
        break;
      }
      Parent = Part;
    }
    // Automake names the objects of a target with flags of its own
    // `<target>-<source>.o` (libtool's `.lo`, and `.libs/` for the PIC
    // one): memcached's `memcached_debug-thread.o`.
    if (Here.empty() && !Output.empty()) {
      StringRef Object = sys::path::filename(Path);
      const std::string Tail = "-" + sys::path::stem(Cmd.Filename).str() + ".";
      if (size_t At = Object.rfind(Tail); At != StringRef::npos && At > 0 &&
                                          Object.drop_front(At + Tail.size()).size() <= 3) {
        SmallString<256> Dir = sys::path::parent_path(Path);
        if (sys::path::filename(Dir) == ".libs")
          Dir = sys::path::parent_path(Dir);
        sys::path::append(Dir, Object.take_front(At));
        Here = std::string(Dir);
      }
    }
    if (Here.empty() || (Target && *Target != Here))
      return "";
    Target = Here;
  }
  return Target.value_or("");
}

/// The macros of \p Used that \p Cmd defines (-D, less -U), with their
/// values.
std::map<std::string, std::string> macroSettings(const CompileCommand &Cmd,
                                                 const std::set<std::string> &Used) {
  namespace options = clang::driver::options;
  const opt::InputArgList Args = driverArgs(Cmd);
  std::map<std::string, std::string> Settings;
  for (const opt::Arg *A : Args.filtered(options::OPT_D, options::OPT_U)) {
    auto [Name, Value] = StringRef(A->getValue()).split('=');
    if (!Used.count(Name.str()))
      continue;
    if (A->getOption().matches(options::OPT_U))
      Settings.erase(Name.str());
    else
      Settings[Name.str()] = StringRef(A->getValue()).contains('=') ? Value.str() : "1";
  }
  return Settings;
}

std::string hex(uint64_t V) {
  std::string S;
  raw_string_ostream(S) << format_hex_no_prefix(V, 16);
  return S;
}

/// The cache key of a TU's command: file, directory, arguments, options.
std::string commandKey(const std::vector<CompileCommand> &Cmds, const CheckOptions &Opts) {
  std::string Text = "lockgraph-summary-v" + std::to_string(SummaryFormatVersion) + "\n";
  // A rebuilt analyzer may summarize differently: key on the executable too.
  std::string Exe = sys::fs::getMainExecutable(nullptr, nullptr);
  sys::fs::file_status St;
  if (!Exe.empty() && !sys::fs::status(Exe, St))
    Text += Exe + ":" + std::to_string(St.getSize()) + ":" +
            std::to_string(St.getLastModificationTime().time_since_epoch().count()) + "\n";
  for (const CompileCommand &C : Cmds) {
    Text += C.Directory + "\n" + C.Filename + "\n";
    for (const std::string &A : C.CommandLine)
      Text += A + "\n";
  }
  for (const std::string &A : Opts.ExtraArgs)
    Text += A + "\n";
  for (const std::string &B : Opts.TU.BlockingFunctions)
    Text += B + ",";
  return hex(xxh3_64bits(Text));
}

/// Hash of the contents of every file a TU read; empty if one is missing.
std::string inputsHash(const std::vector<std::string> &Inputs) {
  std::string Text;
  for (const std::string &I : Inputs) {
    auto Buf = MemoryBuffer::getFile(I);
    if (!Buf)
      return {};
    Text += I + "\n" + hex(xxh3_64bits((*Buf)->getBuffer())) + "\n";
  }
  return hex(xxh3_64bits(Text));
}

std::optional<TUSummary> readCache(const std::string &Path) {
  auto Buf = MemoryBuffer::getFile(Path);
  if (!Buf)
    return std::nullopt;
  auto V = json::parse((*Buf)->getBuffer());
  if (!V) {
    consumeError(V.takeError());
    return std::nullopt;
  }
  const json::Object *O = V->getAsObject();
  if (!O || !O->get("summary") || !O->getString("inputs"))
    return std::nullopt;
  auto S = summaryFromJSON(*O->get("summary"));
  if (!S) {
    consumeError(S.takeError());
    return std::nullopt;
  }
  if (inputsHash(S->Inputs) != *O->getString("inputs"))
    return std::nullopt;
  return std::move(*S);
}

void writeCache(const std::string &Path, const TUSummary &S) {
  std::string Hash = inputsHash(S.Inputs);
  if (Hash.empty())
    return;
  std::string Text;
  raw_string_ostream OS(Text);
  OS << json::Value(json::Object{{"inputs", Hash}, {"summary", toJSON(S)}});
  OS.flush();
  // Write a temporary file and rename it over, so that concurrent runs
  // never read half a file.
  SmallString<128> Tmp;
  int FD;
  if (sys::fs::createUniqueFile(Path + ".tmp-%%%%%%", FD, Tmp))
    return;
  {
    raw_fd_ostream Out(FD, /*shouldClose=*/true);
    Out << Text;
  }
  if (sys::fs::rename(Tmp, Path))
    sys::fs::remove(Tmp);
}

} // namespace

Expected<PerTUResult> runPerTU(const CheckOptions &Opts, raw_ostream &Log) {
  // The database.
  SmallString<256> DBPath(Opts.BuildPath.empty() ? "." : Opts.BuildPath);
  if (sys::fs::is_directory(DBPath))
    sys::path::append(DBPath, "compile_commands.json");
  if (!sys::fs::exists(DBPath))
    return createStringError(inconvertibleErrorCode(),
                             "cannot load compilation database: '" + DBPath +
                                 "' does not exist (use -p BUILD_DIR)");
  std::string Err;
  std::unique_ptr<CompilationDatabase> Loaded =
      JSONCompilationDatabase::loadFromFile(DBPath, Err, JSONCommandLineSyntax::AutoDetect);
  if (!Loaded)
    return createStringError(inconvertibleErrorCode(),
                             "cannot load compilation database '" + DBPath + "': " + Err);
  auto DB = std::make_unique<DriverCommandsOnly>(std::move(Loaded));

  std::vector<std::string> Files;
  if (Opts.Files.empty()) {
    Files = DB->getAllFiles();
    if (Files.empty())
      return createStringError(inconvertibleErrorCode(),
                               "compilation database '" + DBPath + "' lists no files");
  } else {
    for (const std::string &F : Opts.Files) {
      SmallString<256> Abs(F);
      sys::fs::make_absolute(Abs);
      sys::path::remove_dots(Abs, true);
      if (DB->getCompileCommands(Abs).empty())
        return createStringError(inconvertibleErrorCode(),
                                 "'" + F + "' has no entry in compilation database '" +
                                     DBPath + "'");
      Files.push_back(std::string(Abs));
    }
  }
  std::sort(Files.begin(), Files.end());
  Files.erase(std::unique(Files.begin(), Files.end()), Files.end());
  // Skipped quietly: not analyzing an assembly file loses nothing, so it is
  // no parse failure (which would make the exit status 2).
  llvm::erase_if(Files, [&](const std::string &File) {
    if (llvm::any_of(DB->getCompileCommands(File), compilesCFamily))
      return false;
    if (Opts.Verbose)
      Log << "lockgraph: note: " << File
          << ": not C, C++ or Objective-C source; skipped\n";
    return true;
  });
  if (Files.empty())
    return createStringError(inconvertibleErrorCode(),
                             Opts.Files.empty()
                                 ? "compilation database '" + DBPath +
                                       "' lists no C, C++ or Objective-C file"
                                 : std::string("no C, C++ or Objective-C file given"));

  if (!Opts.CacheDir.empty())
    if (std::error_code EC = sys::fs::create_directories(Opts.CacheDir))
      return createStringError(EC, "cannot create cache directory '" + Opts.CacheDir +
                                       "': " + EC.message());

  PerTUResult Result;
  // The first pass analyzes each TU alone; a second one re-analyzes the TUs
  // that call lock wrappers defined in other TUs, with those wrappers'
  // effects (TUAnalysisOptions::ExternalEffects).
  TUAnalysisOptions TUOpts = Opts.TU;
  std::string EffectsKey;
  const char *PassNote = "";
  // What is analyzed: each file by its first compile command, standing for
  // all of them until they turn out to differ in a macro it uses.
  struct Unit {
    std::string File;
    std::vector<CompileCommand> Cmds; ///< the commands it stands for
    unsigned Variant = 0;             ///< TUSummary::Variant
  };
  std::vector<Unit> Units;
  for (const std::string &File : Files)
    Units.push_back({File, DB->getCompileCommands(File)});
  std::vector<std::optional<TUSummary>> Slots(Units.size());
  std::vector<std::string> Failures(Units.size());
  std::vector<bool> Cached(Units.size(), false);
  std::mutex LogMutex;
  unsigned Done = 0;
  std::string ResourceDir = LOCKGRAPH_CLANG_RESOURCE_DIR;

  auto AnalyzeOne = [&](size_t I) {
    const std::string &File = Units[I].File;
    const std::vector<CompileCommand> &Cmds = Units[I].Cmds;
    std::string CachePath;
    if (!Opts.CacheDir.empty()) {
      SmallString<256> P(Opts.CacheDir);
      sys::path::append(P, commandKey(Cmds, Opts) + EffectsKey + ".json");
      CachePath = std::string(P);
      if (auto S = readCache(CachePath)) {
        Slots[I] = std::move(*S);
        Cached[I] = true;
      }
    }
    std::string Diags;
    // libTooling runs a command in its directory and aborts the process
    // when it cannot change into it (a relative "directory", a build tree
    // moved away): the file is reported instead, the others analyzed.
    if (!Slots[I])
      for (const CompileCommand &C : Cmds)
        if (!sys::fs::is_directory(C.Directory)) {
          Failures[I] = File + ": the directory of its compile command, '" + C.Directory +
                        "', does not exist; not analyzed";
          Slots[I].reset();
          break;
        }
    if (!Slots[I] && Failures[I].empty()) {
      TUSummary Out;
      bool Analyzed = false;
      SingleCommand Command(Cmds.front());
      ClangTool Tool(Command, {File}, std::make_shared<PCHContainerOperations>(),
                     vfs::createPhysicalFileSystem());
      // -w does not silence what clang makes an error by default and GCC
      // only warns about: "%"PRIuMAX"\n" is a literal with a reserved suffix
      // to clang (pbzip2), and without this the whole TU would be dropped.
      // A C TU knows the warning group too, so this is harmless there.
      CommandLineArguments Extra = {"-w", "-Wno-error", "-Wno-reserved-user-defined-literal"};
      if (!ResourceDir.empty() && sys::fs::is_directory(ResourceDir))
        Extra.push_back("-resource-dir=" + ResourceDir);
      Extra.insert(Extra.end(), Opts.ExtraArgs.begin(), Opts.ExtraArgs.end());
      Tool.appendArgumentsAdjuster(
          getInsertArgumentAdjuster(Extra, ArgumentInsertPosition::END));
      raw_string_ostream DiagOS(Diags);
      auto DiagOpts = makeIntrusiveRefCnt<DiagnosticOptions>();
      DiagOpts->ShowColors = false;
      TextDiagnosticPrinter Printer(DiagOS, DiagOpts.get());
      Tool.setDiagnosticConsumer(&Printer);
      Tool.setPrintErrorMessage(false);
      SummaryActionFactory Factory(TUOpts, Out, Analyzed);
      int RC = Tool.run(&Factory);
      DiagOS.flush();
      if (RC != 0 || !Analyzed) {
        Failures[I] = File + ": could not be parsed; not analyzed";
      } else {
        if (Out.File.empty())
          Out.File = File;
        if (!CachePath.empty())
          writeCache(CachePath, Out);
        Slots[I] = std::move(Out);
      }
    }
    std::lock_guard<std::mutex> Lock(LogMutex);
    ++Done;
    if (Opts.Progress)
      Log << "[" << Done << "/" << Units.size() << "] " << File
          << (Cached[I] ? " (cached)" : "") << PassNote << "\n";
    if (!Failures[I].empty())
      Log << Diags;
    if (Opts.Verbose && Slots[I])
      for (const std::string &S : Slots[I]->Skipped)
        Log << "lockgraph: note: " << S << "\n";
    if (Slots[I]) {
      Slots[I]->Target = buildTarget(Cmds);
      Slots[I]->Variant = Units[I].Variant;
    }
    Log.flush();
  };

  unsigned Jobs = Opts.Jobs ? Opts.Jobs : std::max(1u, llvm::get_physical_cores() > 0
                                                          ? unsigned(llvm::get_physical_cores())
                                                          : 1u);
  auto AnalyzeAll = [&](const std::vector<size_t> &Which) {
    if (Jobs <= 1 || Which.size() == 1) {
      for (size_t I : Which)
        AnalyzeOne(I);
      return;
    }
    DefaultThreadPool Pool(hardware_concurrency(Jobs));
    for (size_t I : Which)
      Pool.async([&, I] { AnalyzeOne(I); });
    Pool.wait();
  };
  std::vector<size_t> All(Units.size());
  for (size_t I = 0; I < Units.size(); ++I)
    All[I] = I;
  AnalyzeAll(All);

  // A file whose commands set a macro its own lines use differently (built
  // into a library and, with -DWITH_BROKER, into mosquitto's broker) is
  // analyzed once more per other setting, by the first command with it.
  // Those that differ in other macros only (CMake's <target>_EXPORTS of a
  // shared library) stay one TU.
  {
    std::vector<size_t> Variants;
    for (size_t I = 0, N = Units.size(); I < N; ++I) {
      if (!Slots[I] || Units[I].Cmds.size() < 2)
        continue;
      const std::set<std::string> Used(Slots[I]->MainFileMacros.begin(),
                                       Slots[I]->MainFileMacros.end());
      std::vector<std::pair<std::map<std::string, std::string>, std::vector<CompileCommand>>>
          Groups;
      for (const CompileCommand &C : Units[I].Cmds) {
        std::map<std::string, std::string> Settings = macroSettings(C, Used);
        auto It = llvm::find_if(Groups, [&](const auto &G) { return G.first == Settings; });
        if (It == Groups.end())
          Groups.push_back({std::move(Settings), {C}});
        else
          It->second.push_back(C);
      }
      if (Groups.size() < 2)
        continue;
      Units[I].Cmds = std::move(Groups.front().second);
      Slots[I]->Target = buildTarget(Units[I].Cmds);
      for (size_t G = 1; G < Groups.size(); ++G) {
        Variants.push_back(Units.size());
        Units.push_back({Units[I].File, std::move(Groups[G].second), unsigned(G)});
        Slots.emplace_back();
        Failures.emplace_back();
        Cached.push_back(false);
      }
    }
    if (!Variants.empty()) {
      PassNote = " (again: compiled with other macros)";
      Done = 0;
      AnalyzeAll(Variants);
    }
  }
  // Another pass over \p Again with the options changed since, cached under
  // \p Key.
  auto Reanalyze = [&](const std::vector<size_t> &Again, const std::string &Key,
                       const char *Note) {
    EffectsKey = Key;
    PassNote = Note;
    for (size_t I : Again) {
      Slots[I].reset();
      Cached[I] = false;
    }
    Done = 0;
    AnalyzeAll(Again);
  };

  // Locks (and variables) of internal linkage of one name in several TUs
  // (libuv's `static uv_mutex_t mutex;` in threadpool.c and in a test), or
  // of the name of another TU's global, are different ones: those TUs are
  // analyzed again with their names qualified by file.
  std::string StaticsKey;
  {
    // By file: the variants of one file (TUSummary::Variant) have the
    // same statics.
    std::map<std::string, std::set<std::string>> FilesWith;
    for (const std::optional<TUSummary> &S : Slots)
      if (S)
        for (const std::string &N : S->InternalLocks)
          FilesWith[N].insert(S->File);
    for (const std::optional<TUSummary> &S : Slots)
      if (S)
        for (const std::string &N : S->ExternalGlobals)
          if (auto It = FilesWith.find(N); It != FilesWith.end())
            It->second.insert(S->File + "\n(extern)");
    std::map<std::string, unsigned> TUsWith;
    for (const auto &[Name, Files] : FilesWith)
      TUsWith[Name] = unsigned(Files.size());
    std::string Digest;
    for (const auto &[Name, N] : TUsWith)
      if (N > 1) {
        TUOpts.QualifiedStatics.insert(Name);
        Digest += Name + "\n";
      }
    std::vector<size_t> Again;
    for (size_t I = 0; I < Units.size(); ++I)
      if (Slots[I] && llvm::any_of(Slots[I]->InternalLocks, [&](const std::string &N) {
            return TUOpts.QualifiedStatics.count(N) > 0;
          }))
        Again.push_back(I);
    if (!Again.empty()) {
      StaticsKey = "-s" + hex(xxh3_64bits(Digest));
      Reanalyze(Again, StaticsKey, " (again: statics of one name in other files)");
    }
  }

  // The TUs that use (by \p UsesOf) a name of \p Known are analyzed again
  // knowing the ones they use, which go into \p Into; \p Tag marks the
  // cache key.
  auto ReanalyzeUsers = [&](const std::set<std::string> &Known,
                            auto UsesOf, std::set<std::string> &Into, const char *Tag,
                            const char *Note) {
    std::set<std::string> Used;
    std::vector<size_t> Again;
    for (size_t I = 0; I < Units.size(); ++I) {
      if (!Slots[I])
        continue;
      bool Uses = false;
      for (const std::string &Name : UsesOf(*Slots[I]))
        if (Known.count(Name)) {
          Used.insert(Name);
          Uses = true;
        }
      if (Uses)
        Again.push_back(I);
    }
    if (Again.empty())
      return;
    std::string Digest;
    for (const std::string &Name : Used)
      Digest += Name + "\n";
    Into = std::move(Used);
    StaticsKey += Tag + hex(xxh3_64bits(Digest));
    Reanalyze(Again, StaticsKey, Note);
  };

  // Descriptors made non-blocking by a function of another TU (libzmq's
  // signaler.cpp writes the descriptors it passed to unblock_socket, in
  // ip.cpp): the TUs that pass one are analyzed again knowing it.
  std::set<std::string> Setters;
  for (const std::optional<TUSummary> &S : Slots)
    if (S)
      Setters.insert(S->NonBlockingParams.begin(), S->NonBlockingParams.end());
  ReanalyzeUsers(
      Setters, [](const TUSummary &S) -> const auto & { return S.DescriptorHandOffs; },
      TUOpts.NonBlockingParams, "-n", " (again: descriptors made non-blocking in other files)");

  // Descriptor fields made non-blocking in another TU, there or by a
  // function of any TU that stores a non-blocking descriptor through the
  // field's address (libmosquitto's mosquitto.c passes &mosq->sockpairW to
  // net__socketpair of net_mosq.c; packet_mosq.c writes it): the TUs that
  // read or write one are analyzed again knowing it.
  std::set<std::string> Fields;
  for (const std::optional<TUSummary> &S : Slots)
    if (S) {
      Setters.insert(S->NonBlockingParams.begin(), S->NonBlockingParams.end());
      Fields.insert(S->NonBlockingFields.begin(), S->NonBlockingFields.end());
    }
  for (const std::optional<TUSummary> &S : Slots)
    if (S)
      for (const auto &[Param, Field] : S->FieldOutParams)
        if (Setters.count(Param))
          Fields.insert(Field);
  ReanalyzeUsers(
      Fields, [](const TUSummary &S) -> const auto & { return S.DescriptorFieldIo; },
      TUOpts.NonBlockingFields, "-f",
      " (again: descriptor fields made non-blocking in other files)");

  // The TUs that call one of \p Callees (USRs or callee keys).
  auto Calling = [&](const auto &Callees) {
    std::vector<size_t> Which;
    auto Calls = [&](const std::vector<CallSite> &Sites) {
      return llvm::any_of(Sites, [&](const CallSite &C) { return Callees.count(C.Callee) > 0; });
    };
    for (size_t I = 0; I < Units.size(); ++I)
      if (Slots[I] && llvm::any_of(Slots[I]->Functions, [&](const FunctionSummary &F) {
            return Calls(F.Calls) || Calls(F.LambdaCalls);
          }))
        Which.push_back(I);
    return Which;
  };

  // Lock wrappers called from other TUs than their own (memcached's
  // STATS_LOCK() in thread.c, called from memcached.c): what they leave
  // held (or release) must be known where they are called. Each pass
  // analyzes again the TUs that call a function whose effect changed: a
  // wrapper of a wrapper takes one more.
  // As the TUs last saw them: each function's whole effect, and its effect
  // without hand-overs.
  std::map<std::string, std::string> EffectDigests, CertainDigests;
  // The TUs a change of hand-overs alone (HandsOverCallers) can matter to:
  // those on a call path from a function that holds a handed-over lock down
  // to the call through the callback's field (null: all).
  std::optional<std::set<size_t>> HandOverTUs;
  auto WrapperPasses = [&](int Passes) {
    for (int Pass = 0; Pass < Passes; ++Pass) {
      std::map<std::string, ExternalEffect> Effects;
      std::map<std::string, std::string> Digests, Certain;
      for (const std::optional<TUSummary> &S : Slots)
        if (S)
          for (const FunctionSummary &F : S->Functions)
            if (!F.ReturnsHolding.empty() || !F.ReleasesCallers.empty() ||
                !F.HandsOverCallers.empty())
              Effects[F.USR] = {F.ReturnsHolding, F.ReleasesCallers, F.HandsOverCallers,
                                F.ReturnsLockResult};
      std::string Digest;
      for (const auto &[USR, E] : Effects) {
        std::string &D = Digests[USR];
        D = effectDigest(E.ReturnsHolding, E.ReleasesCallers) +
            (E.ReturnsLockResult ? "=result" : "");
        Certain[USR] = D;
        for (const LockRef &R : E.HandsOverCallers)
          D += "~" + R.key();
        Digest += USR + ":" + D + "\n";
      }
      // What a function's callers see changed; only its hand-overs: then
      // only the TUs that can hold what it hands over are analyzed again.
      std::set<std::string> Changed, HandOversChanged;
      for (const auto &[USR, D] : Digests)
        if (auto It = EffectDigests.find(USR); It == EffectDigests.end() || It->second != D)
          (HandOverTUs && CertainDigests[USR] == Certain[USR] ? HandOversChanged : Changed)
              .insert(USR);
      for (const auto &[USR, D] : EffectDigests)
        if (!Digests.count(USR))
          (HandOverTUs && CertainDigests[USR].empty() ? HandOversChanged : Changed).insert(USR);
      std::vector<size_t> Again = Calling(Changed);
      for (size_t I : Calling(HandOversChanged))
        if (HandOverTUs->count(I) && !llvm::is_contained(Again, I))
          Again.push_back(I);
      llvm::sort(Again);
      if (Again.empty())
        return;
      EffectDigests = std::move(Digests);
      CertainDigests = std::move(Certain);
      TUOpts.ExternalEffects = std::move(Effects);
      Reanalyze(Again, "-" + hex(xxh3_64bits(Digest)) + StaticsKey,
                " (again: lock wrappers of other files)");
    }
  };
  WrapperPasses(2);

  // Callbacks that release their caller's lock (libuv's test locks a mutex
  // and runs the loop, whose prepare callback unlocks it): a call through
  // the field or variable that holds them releases it, in the TUs that make
  // one, analyzed again knowing it; more wrapper passes carry that to their
  // callers (uv__run_prepare -> uv_run -> the test).
  {
    std::vector<TUSummary> Linked;
    std::vector<size_t> From;
    for (size_t I = 0; I < Units.size(); ++I)
      if (Slots[I]) {
        Linked.push_back(std::move(*Slots[I]));
        From.push_back(I);
      }
    // Lock methods called through a table (SQLite's sqlite3_mutex_enter
    // calls sqlite3GlobalConfig.mutex.xMutexEnter): their effect, where
    // they are called, makes the caller a lock wrapper too.
    auto [Releases, Methods] = throughPointers(Linked);
    for (size_t K = 0; K < From.size(); ++K)
      Slots[From[K]] = std::move(Linked[K]);
    std::string Digest;
    for (const auto &[Key, Refs] : Releases) {
      Digest += Key + ":";
      for (const LockRef &R : Refs)
        Digest += "-" + R.key();
      Digest += "\n";
    }
    for (const auto &[Key, E] : Methods) {
      Digest += Key + "=" + effectDigest(E.ReturnsHolding, E.ReleasesCallers) + "\n";
    }
    std::vector<size_t> Again = Calling(Releases);
    for (size_t I : Calling(Methods))
      if (!llvm::is_contained(Again, I))
        Again.push_back(I);
    llvm::sort(Again);
    if (!Again.empty()) {
      // Functions on a call path from a holder of a handed-over lock down to
      // a call through the field: their TUs carry the hand-over up. Direct
      // calls only (what a summary names); libuv's test-async.c, uv_run's
      // core.c and loop-watcher.c, not every test that runs a loop.
      std::set<std::string> Handed;
      for (const auto &[Key, Refs] : Releases)
        for (const LockRef &R : Refs)
          Handed.insert(R.key());
      std::map<std::string, size_t> TUOf;
      std::map<std::string, std::vector<std::string>> CalleesOf, CallersOf;
      std::set<std::string> Holders, FieldCallers;
      for (size_t I = 0; I < Units.size(); ++I)
        if (Slots[I])
          for (const FunctionSummary &F : Slots[I]->Functions) {
            TUOf.emplace(F.USR, I);
            for (const CallSite &C : F.Calls) {
              CalleesOf[F.USR].push_back(C.Callee);
              CallersOf[C.Callee].push_back(F.USR);
              if (Releases.count(C.Callee))
                FieldCallers.insert(F.USR);
              if (llvm::any_of(C.Held, [&](const HeldLock &H) {
                    return Handed.count(H.Lock.key()) != 0;
                  }))
                Holders.insert(F.USR);
            }
          }
      auto Closure = [](std::set<std::string> From,
                        const std::map<std::string, std::vector<std::string>> &Edges) {
        std::vector<std::string> Work(From.begin(), From.end());
        while (!Work.empty() && From.size() < 100000) {
          std::string F = std::move(Work.back());
          Work.pop_back();
          if (auto It = Edges.find(F); It != Edges.end())
            for (const std::string &G : It->second)
              if (From.insert(G).second)
                Work.push_back(G);
        }
        return From;
      };
      const std::set<std::string> Below = Closure(Holders, CalleesOf);
      const std::set<std::string> Above = Closure(FieldCallers, CallersOf);
      HandOverTUs.emplace();
      for (const std::string &F : Below)
        if (Above.count(F))
          if (auto It = TUOf.find(F); It != TUOf.end())
            HandOverTUs->insert(It->second);
      TUOpts.PointerCallReleases = std::move(Releases);
      TUOpts.PointerCallEffects = std::move(Methods);
      StaticsKey += "-h" + hex(xxh3_64bits(Digest));
      Reanalyze(Again, EffectsKey + "-h" + hex(xxh3_64bits(Digest)),
                " (again: callbacks and lock methods called through pointers)");
      WrapperPasses(3);
    }
  }

  for (size_t I = 0; I < Units.size(); ++I) {
    if (Slots[I])
      Result.Summaries.push_back(std::move(*Slots[I]));
    if (!Failures[I].empty())
      Result.Failed.push_back(Failures[I]);
    Result.FromCache += Cached[I];
  }
  return Result;
}

} // namespace lockgraph::analyzer
