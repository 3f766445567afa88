// Package report holds the JSON lines every checker prints and scripts/verify.js reads:
// one object per line, told apart by Type.
package report

// Problem is one finding of a consumer's code on one object.
type Problem struct {
	Type     string `json:"type"` // "problem"
	Checker  string `json:"checker"`
	App      string `json:"app"`
	File     string `json:"file"`
	Object   string `json:"object"`
	Consumer string `json:"consumer"`
	Message  string `json:"message"`
}

// Checked says how many objects of an app a checker read.
type Checked struct {
	Type    string `json:"type"` // "checked"
	Checker string `json:"checker"`
	App     string `json:"app"`
	Objects int    `json:"objects"`
}
