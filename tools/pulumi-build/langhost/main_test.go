package main

import (
	"context"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

func TestParseOptions(t *testing.T) {
	root := t.TempDir()
	opts, err := parseOptions(root, root, map[string]any{
		"virtualenv": "venv", "toolchain": "pip", "typechecker": "mypy",
	}, false)
	if err != nil {
		t.Fatal(err)
	}
	if opts.Virtualenv != "venv" || opts.Toolchain != toolchain.Pip || opts.Typechecker != toolchain.TypeCheckerMypy {
		t.Fatalf("unexpected options %+v", opts)
	}
	for _, bad := range []map[string]any{
		{"virtualenv": 1}, {"toolchain": "conda"}, {"typechecker": "pytype"}, {"toolchain": true},
	} {
		if _, err := parseOptions(root, root, bad, false); err == nil {
			t.Errorf("options %v: want an error", bad)
		}
	}
	// Programs may run in the ambient Python; plugins get a virtualenv.
	if opts, _ := parseOptions(root, root, map[string]any{}, false); opts.Virtualenv != "" {
		t.Errorf("program default virtualenv %q, want none", opts.Virtualenv)
	}
	if opts, _ := parseOptions(root, root, map[string]any{}, true); opts.Virtualenv != "venv" {
		t.Errorf("plugin default virtualenv %q, want venv", opts.Virtualenv)
	}
}

// The toolchain resolves a relative virtualenv against the project root and keeps an absolute one.
func TestVirtualenvRelativeAndAbsolute(t *testing.T) {
	root := t.TempDir()
	elsewhere := filepath.Join(t.TempDir(), "env")
	for venv, want := range map[string]string{".venv": filepath.Join(root, ".venv"), elsewhere: elsewhere} {
		opts, err := parseOptions(root, root, map[string]any{"virtualenv": venv}, false)
		if err != nil {
			t.Fatal(err)
		}
		tc, err := toolchain.ResolveToolchain(opts)
		if err != nil {
			t.Fatal(err)
		}
		got, err := tc.VirtualEnvPath(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("virtualenv %q resolved to %q, want %q", venv, got, want)
		}
	}
}

func TestPackageDependency(t *testing.T) {
	aws := packageDependency(plugin.DependencyInfo{Name: "pulumi-aws", Version: "7.51.1"},
		&plugin.PulumiPluginJSON{Resource: true, Name: "aws", Version: "7.51.1"})
	if aws == nil || aws.GetName() != "aws" || aws.GetVersion() != "v7.51.1" || aws.GetKind() != "resource" {
		t.Fatalf("pulumi-aws: got %v", aws)
	}
	// No pulumi-plugin.json: the name and version come from the package.
	random := packageDependency(plugin.DependencyInfo{Name: "pulumi-random", Version: "4.16"}, nil)
	if random == nil || random.GetName() != "random" || random.GetVersion() != "v4.16.0" {
		t.Fatalf("pulumi-random: got %v", random)
	}
	for name, dep := range map[string]*pulumirpc.PackageDependency{
		"not a Pulumi package": packageDependency(plugin.DependencyInfo{Name: "requests", Version: "2.34.2"}, nil),
		"resource: false": packageDependency(plugin.DependencyInfo{Name: "fdipsec-pulumi", Version: "0.1.0"},
			&plugin.PulumiPluginJSON{Resource: false}),
		"known to have no plugin": packageDependency(plugin.DependencyInfo{Name: "pulumi-policy", Version: "1.0.0"}, nil),
		"unparseable version":     packageDependency(plugin.DependencyInfo{Name: "pulumi-x", Version: "1!2.0"}, nil),
	} {
		if dep != nil {
			t.Errorf("%s: got %v, want none", name, dep)
		}
	}
}

func TestPluginVersion(t *testing.T) {
	for in, want := range map[string]string{
		"1":                 "1.0.0",
		"1.2.3":             "1.2.3",
		"1.2.3a4":           "1.2.3-alpha.4",
		"1.2.3rc4":          "1.2.3-rc.4",
		"1.2.3.post4":       "1.2.3+post4",
		"1.2.3.post4.dev5":  "1.2.3+post4dev5",
		"3.31.0a1605189729": "3.31.0-alpha.1605189729",
	} {
		if got, ok := pluginVersion(in); !ok || got != want {
			t.Errorf("pluginVersion(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := pluginVersion("not-a-version"); ok {
		t.Error("pluginVersion accepted not-a-version")
	}
}

// What the host does not implement says so, instead of answering success and doing nothing.
func TestUnsupportedCallsAreUnimplemented(t *testing.T) {
	h := newHost("launcher")
	ctx := context.Background()
	_, err1 := h.GetRequiredPlugins(ctx, &pulumirpc.GetRequiredPluginsRequest{})
	_, err2 := h.GenerateProgram(ctx, &pulumirpc.GenerateProgramRequest{})
	_, err3 := h.GeneratePackage(ctx, &pulumirpc.GeneratePackageRequest{})
	_, err4 := h.Pack(ctx, &pulumirpc.PackRequest{})
	_, err5 := h.Link(ctx, &pulumirpc.LinkRequest{})
	for i, err := range []error{err1, err2, err3, err4, err5} {
		if status.Code(err) != codes.Unimplemented {
			t.Errorf("call %d: got %v, want Unimplemented", i+1, err)
		}
	}
}

func TestCancelStopsWhatTheHostRuns(t *testing.T) {
	h := newHost("launcher")
	if _, err := h.Cancel(context.Background(), &emptypb.Empty{}); err != nil {
		t.Fatal(err)
	}
	if h.cancelled.Err() == nil {
		t.Fatal("Cancel left the host's run context alive")
	}
}

// The host shuts down once the engine's address stops answering: a killed CLI leaves nothing behind.
func TestEngineGoneShutsTheHostDown(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	address := lis.Addr().String()
	if err := lis.Close(); err != nil {
		t.Fatal(err)
	}
	h := newHost("launcher")
	down := make(chan struct{})
	h.shutdown = func() { h.cancel(); close(down) }
	if err := h.watchEngine(address); err != nil {
		t.Fatal(err)
	}
	select {
	case <-down:
	case <-time.After(time.Minute): // a bound on a hung test, not a timing assertion
		t.Fatal("the host did not shut down after the engine went away")
	}
}

func TestLauncherArgs(t *testing.T) {
	req := &pulumirpc.RunRequest{
		MonitorAddress: "127.0.0.1:1", Project: "p", Stack: "s", Pwd: "/w", DryRun: true, Parallel: 4,
		Info: &pulumirpc.ProgramInfo{RootDirectory: "/w", EntryPoint: "."}, Args: []string{"x"},
	}
	got := launcherArgs(req, "127.0.0.1:2")
	want := []string{
		"--monitor", "127.0.0.1:1", "--engine", "127.0.0.1:2", "--project", "p", "--root_directory", "/w",
		"--stack", "s", "--pwd", "/w", "--dry_run", "true", "--parallel", "4", ".", "x",
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}
