package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// sim is a running simulator.
type sim struct {
	cmd   *exec.Cmd
	dir   string
	env   []string
	log   string
	truth string
}

func startSim(bin string, args []string) (*sim, error) {
	dir, err := os.MkdirTemp("", "ks-doctor-bench")
	if err != nil {
		return nil, err
	}
	s := &sim{dir: dir, log: filepath.Join(dir, "requests.jsonl"), truth: filepath.Join(dir, "truth.json")}
	envFile := filepath.Join(dir, "sim.env")
	all := append([]string{"--addr", "127.0.0.1:0", "--env-file", envFile, "--log", s.log, "--fleet-truth", s.truth}, args...)
	s.cmd = exec.Command(bin, all...)
	s.cmd.Stderr = io.Discard
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		f, err := os.Open(envFile)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if kv, ok := strings.CutPrefix(sc.Text(), "export "); ok {
				k, v, _ := strings.Cut(kv, "=")
				s.env = append(s.env, k+"="+strings.Trim(v, "'"))
			}
		}
		f.Close()
		return s, nil
	}
	s.stop()
	return nil, fmt.Errorf("the simulator wrote no env file")
}

func (s *sim) stop() {
	s.cmd.Process.Signal(os.Interrupt)
	s.cmd.Wait()
	os.RemoveAll(s.dir)
}

// entry is what the benchmark reads of the simulator's request log.
type entry struct {
	Start      time.Time `json:"start"`
	DurationMs float64   `json:"durationMs"`
	Service    string    `json:"service"`
	Knob       string    `json:"knob"`
}

func (s *sim) entries() ([]entry, error) {
	data, err := os.ReadFile(s.log)
	if err != nil {
		return nil, err
	}
	var out []entry
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var e entry
		if err := json.Unmarshal(line, &e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}
