package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// startupRuns is how many times each start-up row runs its command.
const startupRuns = 20

// startup times a command that makes no call, as a whole process, and
// says how much of it is package initialisation, and how much of that the
// Kubernetes client's packages (k8s.io/..., sigs.k8s.io/...), which every
// command pays because the plug-in is one binary (internal/kube).
func startup(pluginBin string, args []string) (Row, error) {
	r := Row{Case: "start-up", Variant: "ks-doctor " + strings.Join(args[:1], " ")}
	var total time.Duration
	for range startupRuns {
		cmd := command(pluginBin, args, io.Discard)
		start := time.Now()
		_ = cmd.Run()
		total += time.Since(start)
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			r.RSSKiB = max(r.RSSKiB, ru.Maxrss)
		}
	}
	r.WallMs = float64(total.Microseconds()) / 1000 / startupRuns
	// Apart from the timed runs: writing the trace slows the process.
	var initMs, kubeMs float64
	for range startupRuns {
		var trace bytes.Buffer
		cmd := command(pluginBin, args, &trace)
		cmd.Env = append(cmd.Env, "GODEBUG=inittrace=1")
		_ = cmd.Run()
		all, kube := initClock(&trace)
		initMs, kubeMs = initMs+all, kubeMs+kube
	}
	r.Note = fmt.Sprintf("mean of %d runs: %.1f ms; package init %.1f ms, of it the Kubernetes client's %.1f ms (GODEBUG=inittrace=1)",
		startupRuns, r.WallMs, initMs/startupRuns, kubeMs/startupRuns)
	return r, nil
}

func command(pluginBin string, args []string, stderr io.Writer) *exec.Cmd {
	cmd := exec.Command(pluginBin, args...)
	cmd.Env = append(os.Environ(), "IBMCLOUD_PLUGIN_NAMESPACE=ks-doctor", "IBMCLOUD_HOME="+os.TempDir())
	cmd.Stdout, cmd.Stderr = io.Discard, stderr
	return cmd
}

// initClock sums the clock time of GODEBUG=inittrace=1 lines
// ("init PKG @T ms, D ms clock, ..."): all packages, and the Kubernetes
// client's.
func initClock(trace io.Reader) (all, kube float64) {
	sc := bufio.NewScanner(trace)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 7 || f[0] != "init" || f[6] != "clock," {
			continue
		}
		ms, err := strconv.ParseFloat(f[4], 64)
		if err != nil {
			continue
		}
		all += ms
		if strings.HasPrefix(f[1], "k8s.io/") || strings.HasPrefix(f[1], "sigs.k8s.io/") {
			kube += ms
		}
	}
	return all, kube
}
