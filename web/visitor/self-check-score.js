// Scoring of a self-check, as content/self-check/ defines it: "yes" scores the question's
// weight, "sometimes" half of it (rounded down), "no" nothing; the result shown is the one
// with the highest min_score the score reaches.

export function ScoreOf(questions, given) {
  return questions.reduce((score, question, i) => {
    if (given[i] === 'yes') return score + question.weight;
    if (given[i] === 'sometimes') return score + Math.floor(question.weight / 2);
    return score;
  }, 0);
}

export function ResultFor(results, score) {
  return results.reduce((chosen, result) => (result.min_score <= score ? result : chosen), results[0]);
}
