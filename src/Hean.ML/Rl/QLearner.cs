using Hean.Core.Execution;

namespace Hean.ML.Rl;

/// <summary>
/// Tabular Q-learning, undiscounted (an episode is short and ends for sure at the horizon): epsilon-greedy
/// exploration from a seeded generator, step size 1/n of the state-action visits (floored at
/// <see cref="MinStepSize"/>), so the table is the running mean of the returns early and follows them later.
/// </summary>
public sealed class QLearner
{
    public const double MinStepSize = 0.02;

    private readonly RlStateSpace _space;
    private readonly double[] _q;
    private readonly int[] _n;
    private readonly RlPolicy _live; // shares the arrays: greedy choices see every update
    private readonly SeededRandom _random;

    public QLearner(RlStateSpace space, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (space.Validate() is { } invalid) throw new ArgumentException(invalid, nameof(space));
        _space = space;
        _q = new double[space.Count * RlPolicy.Actions];
        _n = new int[_q.Length];
        _live = new RlPolicy(RlPolicy.CurrentFormat, space, _q, _n);
        _random = new SeededRandom(seed);
    }

    /// <summary>The chance of a random action; the trainer lowers it pass by pass.</summary>
    public double Epsilon { get; set; } = 0.2;

    public long Updates { get; private set; }

    public RlAction Choose(int state)
    {
        if (_random.NextDouble() < Epsilon) return (RlAction)(int)(_random.NextDouble() * RlPolicy.Actions);
        return _live.Greedy(state);
    }

    public void Learn(RlTransition t)
    {
        var i = t.State * RlPolicy.Actions + (int)t.Action;
        var target = t.Reward + (t.Next is { } next ? MaxValue(next) : 0);
        _n[i]++;
        _q[i] += Math.Max(MinStepSize, 1.0 / _n[i]) * (target - _q[i]);
        Updates++;
    }

    /// <summary>The greedy policy of the table as it is now (a copy: later learning does not change it).</summary>
    public RlPolicy Policy() => new(RlPolicy.CurrentFormat, _space, (double[])_q.Clone(), (int[])_n.Clone());

    /// <summary>
    /// The value of the best action tried in a state: an action never tried does not count (its 0 would be
    /// an optimistic guess in a world of costs); 0 when nothing was tried.
    /// </summary>
    private double MaxValue(int state)
    {
        var best = double.NegativeInfinity;
        for (var a = 0; a < RlPolicy.Actions; a++)
            if (_n[state * RlPolicy.Actions + a] > 0) best = Math.Max(best, _q[state * RlPolicy.Actions + a]);
        return double.IsNegativeInfinity(best) ? 0 : best;
    }
}
