// Package logreg fits an L2-regularised logistic regression, the linear
// probes kycgate trains on network features (docs/selfie.md, "A learned
// second opinion on hats").
package logreg

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/optimize"
)

// Model scores a feature vector: P(positive) = σ(Bias + Σ Weights[i]·x[i]).
// The features' standardisation is folded into the weights, so a model is
// applied to raw features.
type Model struct {
	Weights []float64
	Bias    float64
}

// Score returns the model's probability that x is positive. x must have
// len(m.Weights) values.
func (m Model) Score(x []float32) float64 {
	z := m.Bias
	for i, w := range m.Weights {
		z += w * float64(x[i])
	}
	return sigmoid(z)
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// Fit fits a model to the rows of x labelled by y, minimising
// C·Σ wᵢ·logloss(i) + ½‖w‖² over standardised features, as scikit-learn's
// LogisticRegression does with class_weight "balanced" (each class weighs
// n / (2·count)), and returns it with the standardisation folded in. It
// needs both classes and rows of one length.
func Fit(x [][]float32, y []bool, c float64) (Model, error) {
	n := len(x)
	if n == 0 || len(y) != n {
		return Model{}, fmt.Errorf("logreg: %d rows, %d labels", n, len(y))
	}
	dim := len(x[0])
	pos := 0
	for i, row := range x {
		if len(row) != dim {
			return Model{}, fmt.Errorf("logreg: row %d has %d features, want %d", i, len(row), dim)
		}
		if y[i] {
			pos++
		}
	}
	if pos == 0 || pos == n {
		return Model{}, errors.New("logreg: both classes are needed")
	}
	mean, scale := standardisation(x)
	z := make([][]float64, n)
	for i, row := range x {
		z[i] = make([]float64, dim)
		for j, v := range row {
			z[i][j] = (float64(v) - mean[j]) / scale[j]
		}
	}
	weight := [2]float64{float64(n) / (2 * float64(n-pos)), float64(n) / (2 * float64(pos))}
	label := func(i int) (float64, float64) {
		if y[i] {
			return 1, weight[1]
		}
		return 0, weight[0]
	}
	// Parameters: dim weights, then the bias (not regularised).
	p := optimize.Problem{
		Func: func(theta []float64) float64 {
			f := 0.0
			for i := range z {
				t, w := label(i)
				s := dot(theta[:dim], z[i]) + theta[dim]
				// log(1+e^s) − t·s, computed without overflow.
				f += c * w * (softplus(s) - t*s)
			}
			return f + 0.5*dot(theta[:dim], theta[:dim])
		},
		Grad: func(grad, theta []float64) {
			copy(grad[:dim], theta[:dim])
			grad[dim] = 0
			for i := range z {
				t, w := label(i)
				r := c * w * (sigmoid(dot(theta[:dim], z[i])+theta[dim]) - t)
				for j, v := range z[i] {
					grad[j] += r * v
				}
				grad[dim] += r
			}
		},
	}
	res, err := optimize.Minimize(p, make([]float64, dim+1), &optimize.Settings{GradientThreshold: 1e-6, MajorIterations: 2000}, &optimize.LBFGS{})
	if err != nil && res == nil {
		return Model{}, fmt.Errorf("logreg: %w", err)
	}
	m := Model{Weights: make([]float64, dim), Bias: res.X[dim]}
	for j := range dim {
		m.Weights[j] = res.X[j] / scale[j]
		m.Bias -= res.X[j] * mean[j] / scale[j]
	}
	return m, nil
}

// standardisation returns each feature's mean and standard deviation (1
// for a constant feature, which then contributes nothing).
func standardisation(x [][]float32) (mean, scale []float64) {
	dim := len(x[0])
	mean, scale = make([]float64, dim), make([]float64, dim)
	for _, row := range x {
		for j, v := range row {
			mean[j] += float64(v)
		}
	}
	for j := range mean {
		mean[j] /= float64(len(x))
	}
	for _, row := range x {
		for j, v := range row {
			d := float64(v) - mean[j]
			scale[j] += d * d
		}
	}
	for j := range scale {
		scale[j] = math.Sqrt(scale[j] / float64(len(x)))
		if scale[j] < 1e-12 {
			scale[j] = 1
		}
	}
	return mean, scale
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

func softplus(s float64) float64 {
	if s > 0 {
		return s + math.Log1p(math.Exp(-s))
	}
	return math.Log1p(math.Exp(s))
}
