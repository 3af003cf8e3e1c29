// Command loadgen offers HTTP POSTs at a fixed arrival rate and records every request.
//
// It is an open-loop generator: request i is due at start + i/rate whatever the server
// does, so a slow server does not slow the offered load down (no coordinated omission).
// At most -conns requests are in flight over keep-alive connections; a request that finds
// every connection busy is sent late and counted as late, and one that is more than
// -drop-after behind its schedule is not sent at all (counted as dropped), so an
// overloaded or dead server cannot stretch a run without bound.
//
// Bodies come from a JSONL file (one JSON body per line, used round-robin). Each request
// is written to -out as one tab-separated line:
//
//	due_ns  sent_ns  done_ns  status  id  error
//
// (wall-clock Unix nanoseconds; status 0 = transport error, -1 = dropped; id is the "id"
// of the JSON response). A JSON summary goes to stdout.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"
)

type record struct {
	due, sent, done time.Time
	status          int
	id, err         string
}

type summary struct {
	Planned      int            `json:"planned"`
	Sent         int            `json:"sent"`
	Late         int            `json:"late"`
	Dropped      int            `json:"dropped"`
	MaxSendLagMs float64        `json:"max_send_lag_ms"`
	Statuses     map[string]int `json:"statuses"`
	ElapsedS     float64        `json:"elapsed_s"`
	Conns        int            `json:"conns"`
}

func main() {
	url := flag.String("url", "", "URL to POST to")
	bodiesPath := flag.String("bodies", "", "JSONL file of request bodies")
	rate := flag.Float64("rate", 100, "requests per second")
	duration := flag.Float64("duration", 10, "seconds of load")
	conns := flag.Int("conns", 256, "most requests in flight (keep-alive connections)")
	out := flag.String("out", "", "file for the per-request records")
	timeout := flag.Float64("timeout", 30, "seconds a request may take")
	lateMs := flag.Float64("late-ms", 10, "a send this many ms behind schedule counts as late")
	dropAfter := flag.Float64("drop-after", 5, "seconds behind schedule after which a request is not sent")
	flag.Parse()
	if *url == "" || *bodiesPath == "" || *out == "" || *rate <= 0 || *duration <= 0 || *conns < 1 {
		fmt.Fprintln(os.Stderr, "usage: loadgen -url URL -bodies FILE.jsonl -out FILE [-rate R] [-duration S] [-conns N]")
		os.Exit(2)
	}
	bodies, err := readBodies(*bodiesPath)
	if err != nil {
		fail(err)
	}
	n := int(*rate * *duration)
	records := make([]record, n)
	client := &http.Client{
		Timeout: time.Duration(*timeout * float64(time.Second)),
		Transport: &http.Transport{
			MaxConnsPerHost:     *conns,
			MaxIdleConnsPerHost: *conns,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
	}
	jobs := make(chan int, n) // buffered for the whole run: the schedule never waits on a worker
	var wg sync.WaitGroup
	drop := time.Duration(*dropAfter * float64(time.Second))
	for w := 0; w < *conns; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				post(client, *url, bodies[i%len(bodies)], &records[i], drop)
			}
		}()
	}
	start := time.Now().Add(20 * time.Millisecond)
	interval := time.Duration(float64(time.Second) / *rate)
	for i := 0; i < n; i++ {
		due := start.Add(time.Duration(i) * interval)
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
		records[i].due = due
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	if err := writeRecords(*out, records); err != nil {
		fail(err)
	}
	s := summarize(records, time.Duration(*lateMs*float64(time.Millisecond)))
	s.ElapsedS, s.Conns = elapsed.Seconds(), *conns
	if err := json.NewEncoder(os.Stdout).Encode(s); err != nil {
		fail(err)
	}
}

func post(client *http.Client, url string, body []byte, r *record, drop time.Duration) {
	r.sent = time.Now()
	if r.sent.Sub(r.due) > drop {
		r.status, r.done, r.err = -1, r.sent, "dropped: too far behind schedule"
		return
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		r.err, r.done = err.Error(), time.Now()
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		r.err, r.done = err.Error(), time.Now()
		return
	}
	payload, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	r.done, r.status = time.Now(), resp.StatusCode
	if err != nil {
		r.err = err.Error()
		return
	}
	var answer struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(payload, &answer) == nil {
		r.id = answer.ID
	}
}

func summarize(records []record, late time.Duration) summary {
	s := summary{Planned: len(records), Statuses: map[string]int{}}
	for _, r := range records {
		s.Statuses[strconv.Itoa(r.status)]++
		if r.status == -1 {
			s.Dropped++
			continue
		}
		s.Sent++
		lag := r.sent.Sub(r.due)
		if lag > late {
			s.Late++
		}
		if ms := float64(lag) / float64(time.Millisecond); ms > s.MaxSendLagMs {
			s.MaxSendLagMs = ms
		}
	}
	return s
}

func readBodies(path string) ([][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var bodies [][]byte
	scanner := bufio.NewScanner(f)
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	for scanner.Scan() {
		if line := bytes.TrimSpace(scanner.Bytes()); len(line) > 0 {
			bodies = append(bodies, append([]byte(nil), line...))
		}
	}
	if err := scanner.Err(); err != nil {
		return nil, err
	}
	if len(bodies) == 0 {
		return nil, fmt.Errorf("%s holds no bodies", path)
	}
	return bodies, nil
}

func writeRecords(path string, records []record) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	for _, r := range records {
		fmt.Fprintf(w, "%d\t%d\t%d\t%d\t%s\t%s\n",
			r.due.UnixNano(), r.sent.UnixNano(), r.done.UnixNano(), r.status, r.id, oneLine(r.err))
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func oneLine(s string) string {
	return string(bytes.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, []byte(s)))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "loadgen:", err)
	os.Exit(1)
}
