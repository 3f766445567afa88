package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
)

// failer implements istio.io/istio/pkg/test.Failer for a normal program: the
// upstream test helpers (pilot/test/xds, pilot/pkg/networking/core) take a
// *testing.T; this records failures instead, and Fatal* ends only the goroutine
// that called it (like testing.T does), so the caller's run can report it.
type failer struct {
	mu       sync.Mutex
	failures []string
	cleanups []func()
	tmpDirs  []string
	verbose  bool
}

func (f *failer) record(s string) {
	f.mu.Lock()
	f.failures = append(f.failures, s)
	f.mu.Unlock()
}

func (f *failer) Fail()    { f.record("Fail() called") }
func (f *failer) FailNow() { f.record("FailNow() called"); runtime.Goexit() }
func (f *failer) Fatal(args ...any) {
	f.record(fmt.Sprint(args...))
	runtime.Goexit()
}

func (f *failer) Fatalf(format string, args ...any) {
	f.record(fmt.Sprintf(format, args...))
	runtime.Goexit()
}

func (f *failer) Log(args ...any) {
	if f.verbose {
		fmt.Fprintln(os.Stderr, args...)
	}
}

func (f *failer) Logf(format string, args ...any) {
	if f.verbose {
		fmt.Fprintf(os.Stderr, format+"\n", args...)
	}
}

func (f *failer) TempDir() string {
	d, err := os.MkdirTemp("", "verify-istio-")
	if err != nil {
		f.Fatal(err)
	}
	f.mu.Lock()
	f.tmpDirs = append(f.tmpDirs, d)
	f.mu.Unlock()
	return d
}

func (f *failer) Helper() {}

func (f *failer) Cleanup(fn func()) {
	f.mu.Lock()
	f.cleanups = append(f.cleanups, fn)
	f.mu.Unlock()
}

func (f *failer) Skip(args ...any) {
	f.record("Skip: " + fmt.Sprint(args...))
	runtime.Goexit()
}

// Failures returns the recorded failures.
func (f *failer) Failures() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.failures...)
}

// runCleanups runs the registered cleanups in reverse order (stops the fake
// discovery server, its informers and gRPC listener).
func (f *failer) runCleanups() {
	f.mu.Lock()
	c := f.cleanups
	f.cleanups = nil
	d := f.tmpDirs
	f.tmpDirs = nil
	f.mu.Unlock()
	for i := len(c) - 1; i >= 0; i-- {
		func() {
			defer func() { _ = recover() }()
			c[i]()
		}()
	}
	for _, x := range d {
		_ = os.RemoveAll(x)
	}
}

// runGuarded runs fn in its own goroutine, so that a Fatal from the upstream
// helpers (runtime.Goexit) or a panic ends fn only; it returns whether fn
// finished normally.
func runGuarded(f *failer, fn func()) (ok bool) {
	done := make(chan bool, 1)
	go func() {
		finished := false
		defer func() {
			if r := recover(); r != nil {
				f.record(fmt.Sprintf("panic: %v", r))
			}
			done <- finished
		}()
		fn()
		finished = true
	}()
	return <-done
}
