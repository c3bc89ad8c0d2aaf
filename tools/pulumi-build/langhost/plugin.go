package main

// RunPlugin: Python policy packs (`pulumi preview --policy-pack`) and Python plugins, as the stock host
// runs them.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
	"google.golang.org/grpc"
)

// RunPlugin runs a policy pack with `python -m pulumi.policy <args> <dir>` in its directory, with the
// stack's configuration in its environment; a plugin with a __main__.py as `python <dir> <args>`; and a
// plugin that is only a buildable package through `python -m pulumi.run.plugin <name> <args>`.
func (h *host) RunPlugin(
	req *pulumirpc.RunPluginRequest, server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	if req.GetAttachDebugger() {
		return errors.New("this language host cannot attach a debugger")
	}
	ctx := server.Context()
	analyzer := req.GetKind() == string(apitype.AnalyzerPlugin)
	opts, tc, err := toolchainOf(req.GetInfo(), !analyzer)
	if err != nil {
		return err
	}
	dir := req.GetInfo().GetProgramDirectory()

	_, statErr := os.Stat(filepath.Join(opts.Root, "__main__.py"))
	if statErr != nil && !os.IsNotExist(statErr) {
		return fmt.Errorf("looking for __main__.py: %w", statErr)
	}
	hasMain := statErr == nil
	hasRunModule := true
	if probe, err := tc.Command(ctx, "-c", "import pulumi.run.plugin"); err != nil {
		return err
	} else if out, err := probe.CombinedOutput(); err != nil && strings.Contains(string(out), "ModuleNotFoundError") {
		hasRunModule = false // an older SDK: fall back to running the directory
	}

	var args []string
	module := ""
	switch {
	case hasRunModule && !hasMain:
		buildable, err := toolchain.IsBuildablePackage(opts.Root)
		if err != nil {
			return fmt.Errorf("checking if plugin is a buildable package: %w", err)
		}
		if !buildable {
			return errors.New("plugin is not runnable, it provides neither __main__.py nor a buildable pyproject.toml")
		}
		pyproject, err := toolchain.LoadPyproject(opts.Root)
		if err != nil {
			return fmt.Errorf("loading pyproject: %w", err)
		}
		module = "pulumi.run.plugin"
		args = append([]string{pyproject.Project.Name}, req.GetArgs()...)
	case analyzer:
		args = append(append([]string{"-u", "-m", "pulumi.policy"}, req.GetArgs()...), dir)
	default:
		args = append([]string{dir}, req.GetArgs()...)
	}
	cmd, done, err := h.stoppable(ctx, func(c context.Context) (*exec.Cmd, error) {
		if module != "" {
			return tc.ModuleCommand(c, module, args...)
		}
		return tc.Command(c, args...)
	})
	if err != nil {
		return err
	}
	defer done()

	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()
	// Policy packs have always run in their own directory; other plugins in the engine's.
	if analyzer {
		cmd.Dir = dir
	} else {
		cmd.Dir = req.GetPwd()
	}

	// A policy pack learns the stack's configuration from the engine's first call to it, which the proxy
	// answers before the real pack starts, then hands over to the pack.
	if cmd.Env == nil {
		cmd.Env = os.Environ() // a nil environment would become only what we append
	}
	var proxy *sdk.PolicyProxy
	if analyzer {
		if proxy, stdout, err = sdk.NewPolicyProxy(ctx, stdout); err != nil {
			return fmt.Errorf("could not start policy pack proxy: %w", err)
		}
		config, err := proxy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("could not get stack configuration: %w", err)
		}
		if config != nil {
			for k, v := range map[string]string{
				"PULUMI_ORGANIZATION": config.GetOrganization(),
				"PULUMI_PROJECT":      config.GetProject(),
				"PULUMI_STACK":        config.GetStack(),
				"PULUMI_DRY_RUN":      strconv.FormatBool(config.GetDryRun()),
			} {
				if v != "" {
					cmd.Env = append(cmd.Env, k+"="+v)
				}
			}
			if config.GetConfig() != nil {
				configJSON, err := json.Marshal(config.GetConfig())
				if err != nil {
					return fmt.Errorf("could not marshal stack configuration: %w", err)
				}
				cmd.Env = append(cmd.Env, "PULUMI_CONFIG="+string(configJSON))
			}
		}
	}
	cmd.Env = append(cmd.Env, req.GetEnv()...)
	cmd.Stdout, cmd.Stderr = stdout, stderr

	if err := cmd.Start(); err != nil {
		return fmt.Errorf("problem executing plugin program (could not run language executor): %w", err)
	}
	// The proxy waits for the pack itself, and returns how it exited.
	if proxy != nil {
		err = proxy.Attach(ctx, cmd)
	} else {
		err = cmd.Wait()
	}
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if status, ok := exitErr.Sys().(syscall.WaitStatus); ok {
				return server.Send(&pulumirpc.RunPluginResponse{
					Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(status.ExitStatus())},
				})
			}
		}
		return fmt.Errorf("plugin program exited unexpectedly: %w", err)
	}
	return closer.Close()
}
