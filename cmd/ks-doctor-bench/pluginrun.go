package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"syscall"
	"time"
)

// Runs of the built plug-in: against a simulator, or with no call at all.

func runPlugin(simBin, pluginBin, name, variant string, simArgs, args []string, latency time.Duration, rate float64) (Row, error) {
	r := Row{Case: name, Variant: variant}
	s, err := startSim(simBin, simArgs)
	if err != nil {
		return r, err
	}
	defer s.stop()
	cmd := exec.Command(pluginBin, args...)
	cmd.Env = append(append(os.Environ(), "IBMCLOUD_PLUGIN_NAMESPACE=ks-doctor"), s.env...)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	start := time.Now()
	err = cmd.Run()
	r.WallMs = float64(time.Since(start).Microseconds()) / 1000
	if ee, ok := err.(*exec.ExitError); ok {
		r.ExitCode = ee.ExitCode()
	} else if err != nil {
		return r, err
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.RSSKiB = ru.Maxrss
	}
	es, err := s.entries()
	if err != nil {
		return r, err
	}
	r.Requests, r.Rounds, r.Throttled = len(es), rounds(es), throttled(es)
	// The token refresh of an expired session is not on any path here: the
	// session's token is fresh, so the first round is a read.
	r.BoundMs, r.BoundWhy, r.PerService = bound(es, latency, rate, dependentReads(args))
	if args[0] == "orphan" {
		ok, note := sameOrphans(stdout.Bytes(), s.truth)
		r.Correct, r.Note = &ok, note
	} else {
		r.Note = fmt.Sprintf("exit %d", r.ExitCode)
	}
	return r, nil
}

func sameOrphans(stdout []byte, truthFile string) (bool, string) {
	var got struct {
		Clusters []struct{ ID, Status string }
	}
	var truth struct{ Orphaned []string }
	if json.Unmarshal(stdout, &got) != nil {
		return false, "output is not JSON"
	}
	data, _ := os.ReadFile(truthFile)
	if json.Unmarshal(data, &truth) != nil {
		return false, "no fleet truth"
	}
	var orphaned []string
	unknown := 0
	for _, c := range got.Clusters {
		switch c.Status {
		case "orphaned":
			orphaned = append(orphaned, c.ID)
		case "unknown":
			unknown++
		}
	}
	sort.Strings(orphaned)
	ok := strings.Join(orphaned, ",") == strings.Join(truth.Orphaned, ",") && unknown == 0
	return ok, fmt.Sprintf("%d/%d generated orphans found, %d unknown", len(orphaned), len(truth.Orphaned), unknown)
}
