// Command pulumi-language-python is our Python language host for the Pulumi CLI.
//
// Why it exists: the Pulumi project publishes its Python language host as a Go module with no version
// tags, and the Go module proxy reachable from our machines serves no version of it. The engine, the
// CLI, the Python SDK and the program launcher script (pulumi-language-python-exec, copied out of the
// pinned sdk/v3 module) are all the real ones.
//
// It behaves like the stock host for what a Python project needs day to day, and does so with the stock
// host's own building blocks (sdk/v3/python/toolchain): the `virtualenv`, `toolchain` and `typechecker`
// runtime options, `pulumi install` (InstallDependencies), required packages from installed packages'
// pulumi-plugin.json, `pulumi about`, Python policy packs and plugins (RunPlugin), cancellation, and
// exiting when the engine goes away. What it does not implement (code generation, packing, linking,
// templates, debugging) answers gRPC Unimplemented, which the engine reports clearly.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// launcherName is the script the stock host also runs; the toolchain build places it beside this binary.
const launcherName = "pulumi-language-python-exec"

// exitAfterUserMessage is the launcher's exit code for "the error was already shown to the user".
const exitAfterUserMessage = 32

// engineHealthInterval is how often the host checks that the engine still answers. The stock host checks
// every 5 minutes; a SIGKILLed CLI would then leave this host (and the program it runs) behind for that
// long, so we check often: the check is one local gRPC call.
const engineHealthInterval = time.Second

// programStopGrace is how long a cancelled program has between SIGINT and SIGKILL, as in the stock host.
const programStopGrace = 5 * time.Second

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	launcher string

	// cancelled is done when the engine calls Cancel or goes away: every program and plugin we started
	// is then stopped (SIGINT, then SIGKILL after programStopGrace).
	cancelled context.Context
	cancel    context.CancelFunc
	// shutdown stops the gRPC server, so the process exits once in-flight calls have returned.
	shutdown func()

	mu            sync.Mutex
	engineAddress string
	watching      bool
}

func main() {
	_ = flag.String("tracing", "", "accepted for compatibility with the engine; ignored")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.Version)
		return
	}

	self, err := os.Executable()
	if err != nil {
		fail(fmt.Errorf("cannot locate this executable: %w", err))
	}
	launcher := filepath.Join(filepath.Dir(self), launcherName)
	if _, err := os.Stat(launcher); err != nil {
		fail(fmt.Errorf("missing %s beside the language host (run make setup): %w", launcherName, err))
	}

	// SIGINT (the engine interrupts a plugin's process group when it closes it) and a dead engine both
	// end the host the same way: stop what we run, stop serving, exit.
	sigCtx, stopSignals := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stopSignals()
	h := newHost(launcher)
	stopServing := make(chan bool)
	var once sync.Once
	h.shutdown = func() { once.Do(func() { h.cancel(); close(stopServing) }) }
	context.AfterFunc(sigCtx, h.shutdown)

	if args := flag.Args(); len(args) > 0 {
		if err := h.watchEngine(args[0]); err != nil {
			fail(err)
		}
	}

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stopServing,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
	})
	if err != nil {
		fail(fmt.Errorf("cannot serve the language runtime: %w", err))
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fail(err)
	}
}

func newHost(launcher string) *host {
	ctx, cancel := context.WithCancel(context.Background())
	return &host{launcher: launcher, cancelled: ctx, cancel: cancel, shutdown: cancel}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "pulumi-language-python:", err)
	os.Exit(1)
}

// watchEngine records the engine's address and, once, starts checking that it still answers; when it
// stops answering (a killed CLI), the host shuts down instead of waiting for calls that never come.
func (h *host) watchEngine(address string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.engineAddress = address
	if h.watching || address == "" {
		return nil
	}
	if err := rpcutil.Healthcheck(h.cancelled, address, engineHealthInterval, h.shutdown); err != nil {
		return fmt.Errorf("cannot health-check the engine at %s: %w", address, err)
	}
	h.watching = true
	return nil
}

func (h *host) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

func (h *host) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if err := h.watchEngine(req.GetEngineAddress()); err != nil {
		return nil, err
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// Cancel stops every program and plugin this host started, as the stock host does: the engine calls it
// when the user interrupts a deployment.
func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.cancel()
	return &emptypb.Empty{}, nil
}

// stoppable returns a context for a child process that ends when the request ends or the host is
// cancelled, and arranges that ending it interrupts the process and kills it if it does not exit.
func (h *host) stoppable(ctx context.Context, cmd func(context.Context) (*exec.Cmd, error)) (*exec.Cmd, func(), error) {
	runCtx, stop := context.WithCancel(h.cancelled)
	unhook := context.AfterFunc(ctx, stop)
	c, err := cmd(runCtx)
	if err != nil {
		unhook()
		stop()
		return nil, nil, err
	}
	c.Cancel = func() error {
		if err := c.Process.Signal(os.Interrupt); err != nil {
			return c.Process.Kill()
		}
		return nil
	}
	c.WaitDelay = programStopGrace
	return c, func() { unhook(); stop() }, nil
}

// parseOptions reads Pulumi.yaml's runtime options the way the stock host does. Plugins (isPlugin)
// default to a `venv` virtualenv under pip, since they never run in the ambient Python.
func parseOptions(root, programDir string, options map[string]any, isPlugin bool) (toolchain.PythonOptions, error) {
	opts := toolchain.PythonOptions{Root: root, ProgramDir: programDir}
	var err error
	if opts.Virtualenv, _, err = stringOption(options, "virtualenv"); err != nil {
		return opts, err
	}
	if s, given, err := stringOption(options, "typechecker"); err != nil {
		return opts, err
	} else if given {
		if opts.Typechecker, given = pick(s, toolchain.TypeCheckerName, toolchain.TypeCheckerMypy, toolchain.TypeCheckerPyright); !given {
			return opts, fmt.Errorf("unsupported typechecker option: %s", s)
		}
	}
	if s, given, err := stringOption(options, "toolchain"); err != nil {
		return opts, err
	} else if given {
		if opts.Toolchain, given = pick(s, toolchain.Name, toolchain.Pip, toolchain.Poetry, toolchain.Uv); !given {
			return opts, fmt.Errorf("unsupported toolchain option: %s", s)
		}
	}
	if isPlugin && (opts.Toolchain == toolchain.Pip || opts.Toolchain == toolchain.Auto) && opts.Virtualenv == "" {
		opts.Virtualenv = "venv"
	}
	return opts, nil
}

// stringOption is a runtime option that must be a string when it is given at all.
func stringOption(options map[string]any, key string) (string, bool, error) {
	v, given := options[key]
	if !given {
		return "", false, nil
	}
	s, ok := v.(string)
	if !ok {
		return "", true, fmt.Errorf("%s option must be a string", key)
	}
	return s, true, nil
}

// pick is the candidate whose library name is the option's value ("pip" for toolchain.Pip): the stock
// host's spellings, without naming the library's unexported enum types.
func pick[T any](value string, name func(T) string, candidates ...T) (T, bool) {
	for _, candidate := range candidates {
		if strings.ToLower(name(candidate)) == value {
			return candidate, true
		}
	}
	var none T
	return none, false
}

// toolchainOf is the program's runtime options and the toolchain they name, which every call starts from.
func toolchainOf(info *pulumirpc.ProgramInfo, isPlugin bool) (toolchain.PythonOptions, toolchain.Toolchain, error) {
	opts, err := optionsOf(info, isPlugin)
	if err != nil {
		return opts, nil, err
	}
	tc, err := toolchain.ResolveToolchain(opts)
	return opts, tc, err
}

func optionsOf(info *pulumirpc.ProgramInfo, isPlugin bool) (toolchain.PythonOptions, error) {
	if info == nil {
		return toolchain.PythonOptions{}, errors.New("the engine sent no program information")
	}
	return parseOptions(info.GetRootDirectory(), info.GetProgramDirectory(), info.GetOptions().AsMap(), isPlugin)
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	if req.GetAttachDebugger() {
		return &pulumirpc.RunResponse{Error: "this language host cannot attach a debugger"}, nil
	}
	opts, tc, err := toolchainOf(req.GetInfo(), false)
	if err != nil {
		return nil, err
	}
	if err := tc.ValidateVenv(ctx); err != nil {
		return nil, err
	}
	if err := typecheck(ctx, tc, opts); err != nil {
		return nil, err
	}

	configMap := req.GetConfig()
	if configMap == nil {
		configMap = map[string]string{} // the launcher expects an object, never null
	}
	config, err := json.Marshal(configMap)
	if err != nil {
		return nil, fmt.Errorf("cannot serialize the stack configuration: %w", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("cannot serialize the secret configuration keys: %w", err)
	}

	args := append([]string{"-u", h.launcher}, launcherArgs(req, h.engine())...)
	cmd, done, err := h.stoppable(ctx, func(c context.Context) (*exec.Cmd, error) { return tc.Command(c, args...) })
	if err != nil {
		return nil, err
	}
	defer done()
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	env := cmd.Env
	if env == nil {
		env = os.Environ()
	}
	cmd.Env = append(env, "PULUMI_CONFIG="+string(config), "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON))

	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cannot start the Python program: %w", err)
	}
	err = cmd.Wait()
	// Python does not flush on an abnormal exit; flush ours so the engine sees everything the program wrote.
	_ = os.Stdout.Sync()
	_ = os.Stderr.Sync()

	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr):
		if status, ok := exitErr.Sys().(syscall.WaitStatus); ok && status.ExitStatus() == exitAfterUserMessage {
			return &pulumirpc.RunResponse{Bail: true}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("the Python program exited: %v", err)}, nil
	default:
		return nil, err
	}
}

// launcherArgs are the launcher script's arguments: the stock host's, in the stock host's order.
func launcherArgs(req *pulumirpc.RunRequest, engine string) []string {
	var args []string
	for _, kv := range [][2]string{
		{"monitor", req.GetMonitorAddress()},
		{"engine", engine},
		{"project", req.GetProject()},
		{"root_directory", req.GetInfo().GetRootDirectory()},
		{"stack", req.GetStack()},
		{"pwd", req.GetPwd()},
		{"dry_run", strconv.FormatBool(req.GetDryRun())},
		{"parallel", strconv.Itoa(int(req.GetParallel()))},
		{"organization", req.GetOrganization()},
	} {
		if kv[1] != "" {
			args = append(args, "--"+kv[0], kv[1])
		}
	}
	entry := req.GetInfo().GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	return append(args, req.GetArgs()...)
}

// typecheck runs the `typechecker` option's checker over the program directory before the program, as the
// stock host does, and fails the run with its output.
func typecheck(ctx context.Context, tc toolchain.Toolchain, opts toolchain.PythonOptions) error {
	var checker string
	switch opts.Typechecker {
	case toolchain.TypeCheckerMypy:
		checker = "mypy"
	case toolchain.TypeCheckerPyright:
		checker = "pyright"
	default:
		return nil
	}
	probe, err := tc.Command(ctx, "-c", "import "+checker)
	if err != nil {
		return err
	}
	if err := probe.Run(); err != nil {
		return fmt.Errorf("the typechecker option is set to %s, but %s is not installed in the virtualenv; "+
			"add it to requirements.txt and run `pulumi install`", checker, checker)
	}
	args := []string{"-m", checker}
	if checker == "mypy" {
		venv, err := tc.VirtualEnvPath(ctx)
		if err != nil {
			return err
		}
		if venv != "" {
			rel, err := filepath.Rel(opts.ProgramDir, venv)
			if err != nil {
				return err
			}
			args = append(args, "--exclude", rel)
		}
	}
	args = append(args, opts.ProgramDir)
	cmd, err := tc.Command(ctx, args...)
	if err != nil {
		return err
	}
	var out lockedBuffer
	cmd.Dir = opts.ProgramDir
	cmd.Stdout = io.MultiWriter(os.Stdout, &out)
	cmd.Stderr = io.MultiWriter(os.Stderr, &out)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s failed: %w\n%s", checker, err, out.String())
	}
	return nil
}
