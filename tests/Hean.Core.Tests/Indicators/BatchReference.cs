using Hean.Core.Indicators;

namespace Hean.Core.Tests.Indicators;

/// <summary>
/// The indicators recomputed the slow, obvious way: every window summed again from its values,
/// extremes found by scanning, deviations in two passes. An independent implementation of the same
/// definitions, to hold the incremental ones against. NaN where a value is undefined.
/// </summary>
internal static class BatchReference
{
    private static double[] Undefined(int n)
    {
        var a = new double[n];
        Array.Fill(a, double.NaN);
        return a;
    }

    private static bool AllEqual(IReadOnlyList<double> x, int from, int to)
    {
        for (var j = from + 1; j <= to; j++)
            if (x[j] != x[from]) return false;
        return true;
    }

    private static double[] Closes(OhlcvBar[] b) => b.Select(x => x.Close).ToArray();

    public static double[] Sma(IReadOnlyList<double> x, int n)
    {
        var r = Undefined(x.Count);
        for (var i = n - 1; i < x.Count; i++)
        {
            if (AllEqual(x, i - n + 1, i)) { r[i] = x[i]; continue; }
            var s = 0.0;
            for (var j = i - n + 1; j <= i; j++) s += x[j];
            r[i] = s / n;
        }
        return r;
    }

    public static double[] Ema(IReadOnlyList<double> x, int n)
    {
        var r = Undefined(x.Count);
        if (x.Count < n) return r;
        var e = x.Take(n).Sum() / n;
        r[n - 1] = e;
        for (var i = n; i < x.Count; i++) r[i] = e = e + 2.0 / (n + 1) * (x[i] - e);
        return r;
    }

    public static double[] Wma(IReadOnlyList<double> x, int n)
    {
        var r = Undefined(x.Count);
        for (var i = n - 1; i < x.Count; i++)
        {
            var s = 0.0;
            for (var k = 0; k < n; k++) s += (k + 1) * x[i - n + 1 + k];
            r[i] = s / (n * (n + 1) / 2.0);
        }
        return r;
    }

    public static double[] Rsi(IReadOnlyList<double> x, int n)
    {
        var r = Undefined(x.Count);
        double g = 0, l = 0;
        for (var i = 1; i < x.Count; i++)
        {
            var c = x[i] - x[i - 1];
            var gain = Math.Max(c, 0);
            var loss = Math.Max(-c, 0);
            if (i <= n)
            {
                g += gain;
                l += loss;
                if (i < n) continue;
                g /= n;
                l /= n;
            }
            else
            {
                g = (g * (n - 1) + gain) / n;
                l = (l * (n - 1) + loss) / n;
            }
            r[i] = g + l == 0 ? 50 : 100 * g / (g + l);
        }
        return r;
    }

    public static double[][] Macd(OhlcvBar[] b, int fast, int slow, int signal)
    {
        var c = Closes(b);
        var f = Ema(c, fast);
        var s = Ema(c, slow);
        var line = Undefined(c.Length);
        for (var i = slow - 1; i < c.Length; i++) line[i] = f[i] - s[i];
        var sig = Undefined(c.Length);
        var defined = line.Skip(slow - 1).ToArray();
        var e = Ema(defined, signal);
        for (var i = 0; i < e.Length; i++) sig[slow - 1 + i] = e[i];
        var hist = line.Select((v, i) => v - sig[i]).ToArray();
        return [line, sig, hist];
    }

    public static double[][] Bollinger(OhlcvBar[] b, int n, double k)
    {
        var c = Closes(b);
        var up = Undefined(c.Length); var mid = Undefined(c.Length); var lo = Undefined(c.Length);
        var pb = Undefined(c.Length); var w = Undefined(c.Length);
        for (var i = n - 1; i < c.Length; i++)
        {
            double m, sd;
            if (AllEqual(c, i - n + 1, i)) { m = c[i]; sd = 0; }
            else
            {
                m = 0;
                for (var j = i - n + 1; j <= i; j++) m += c[j];
                m /= n;
                var v = 0.0;
                for (var j = i - n + 1; j <= i; j++) v += (c[j] - m) * (c[j] - m);
                sd = Math.Sqrt(v / n);
            }
            mid[i] = m; up[i] = m + k * sd; lo[i] = m - k * sd;
            pb[i] = sd > 0 ? (c[i] - lo[i]) / (up[i] - lo[i]) : 0.5;
            w[i] = (up[i] - lo[i]) / m;
        }
        return [up, mid, lo, pb, w];
    }

    private static double TrueRange(OhlcvBar[] b, int i) =>
        new[] { b[i].High - b[i].Low, Math.Abs(b[i].High - b[i - 1].Close), Math.Abs(b[i].Low - b[i - 1].Close) }.Max();

    public static double[] Atr(OhlcvBar[] b, int n)
    {
        var r = Undefined(b.Length);
        if (b.Length <= n) return r;
        var a = Enumerable.Range(1, n).Sum(i => TrueRange(b, i)) / n;
        r[n] = a;
        for (var i = n + 1; i < b.Length; i++) r[i] = a = (a * (n - 1) + TrueRange(b, i)) / n;
        return r;
    }

    public static double[][] Adx(OhlcvBar[] b, int n)
    {
        var adx = Undefined(b.Length); var pdi = Undefined(b.Length); var mdi = Undefined(b.Length);
        var tr = new double[b.Length]; var pdm = new double[b.Length]; var mdm = new double[b.Length];
        for (var i = 1; i < b.Length; i++)
        {
            tr[i] = TrueRange(b, i);
            var up = b[i].High - b[i - 1].High;
            var down = b[i - 1].Low - b[i].Low;
            pdm[i] = up > down && up > 0 ? up : 0;
            mdm[i] = down > up && down > 0 ? down : 0;
        }
        if (b.Length <= n) return [adx, pdi, mdi];
        double st = 0, sp = 0, sm = 0;
        var dx = Undefined(b.Length);
        for (var i = 1; i < b.Length; i++)
        {
            if (i < n) continue;
            if (i == n)
            {
                st = tr.Skip(1).Take(n).Sum() / n;
                sp = pdm.Skip(1).Take(n).Sum() / n;
                sm = mdm.Skip(1).Take(n).Sum() / n;
            }
            else
            {
                st = (st * (n - 1) + tr[i]) / n;
                sp = (sp * (n - 1) + pdm[i]) / n;
                sm = (sm * (n - 1) + mdm[i]) / n;
            }
            pdi[i] = st > 0 ? 100 * sp / st : 0;
            mdi[i] = st > 0 ? 100 * sm / st : 0;
            dx[i] = pdi[i] + mdi[i] > 0 ? 100 * Math.Abs(pdi[i] - mdi[i]) / (pdi[i] + mdi[i]) : 0;
        }
        if (b.Length <= 2 * n - 1) return [adx, pdi, mdi];
        var a = Enumerable.Range(n, n).Sum(i => dx[i]) / n;
        adx[2 * n - 1] = a;
        for (var i = 2 * n; i < b.Length; i++) adx[i] = a = (a * (n - 1) + dx[i]) / n;
        return [adx, pdi, mdi];
    }

    private static double Max(OhlcvBar[] b, int from, int to, Func<OhlcvBar, double> f) => b.Skip(from).Take(to - from + 1).Max(f);
    private static double Min(OhlcvBar[] b, int from, int to, Func<OhlcvBar, double> f) => b.Skip(from).Take(to - from + 1).Min(f);

    public static double[][] Stochastic(OhlcvBar[] b, int n, int kSmooth, int dPeriod)
    {
        var raw = Undefined(b.Length);
        for (var i = n - 1; i < b.Length; i++)
        {
            var hh = Max(b, i - n + 1, i, x => x.High);
            var ll = Min(b, i - n + 1, i, x => x.Low);
            raw[i] = hh > ll ? 100 * (b[i].Close - ll) / (hh - ll) : 50;
        }
        var k = Shifted(Sma(raw.Skip(n - 1).ToArray(), kSmooth), n - 1, b.Length);
        var d = Shifted(Sma(k.Skip(n + kSmooth - 2).ToArray(), dPeriod), n + kSmooth - 2, b.Length);
        return [k, d];
    }

    private static double[] Shifted(double[] values, int offset, int length)
    {
        var r = Undefined(length);
        for (var i = 0; i < values.Length; i++) r[offset + i] = values[i];
        return r;
    }

    public static double[] WilliamsR(OhlcvBar[] b, int n)
    {
        var r = Undefined(b.Length);
        for (var i = n - 1; i < b.Length; i++)
        {
            var hh = Max(b, i - n + 1, i, x => x.High);
            var ll = Min(b, i - n + 1, i, x => x.Low);
            r[i] = hh > ll ? -100 * (hh - b[i].Close) / (hh - ll) : -50;
        }
        return r;
    }

    public static double[] Cci(OhlcvBar[] b, int n)
    {
        var tp = b.Select(x => (x.High + x.Low + x.Close) / 3).ToArray();
        var r = Undefined(b.Length);
        for (var i = n - 1; i < b.Length; i++)
        {
            if (AllEqual(tp, i - n + 1, i)) { r[i] = 0; continue; }
            var m = tp.Skip(i - n + 1).Take(n).Average();
            var mad = tp.Skip(i - n + 1).Take(n).Sum(v => Math.Abs(v - m)) / n;
            r[i] = mad > 0 ? (tp[i] - m) / (0.015 * mad) : 0;
        }
        return r;
    }

    public static double[] Roc(OhlcvBar[] b, int n)
    {
        var r = Undefined(b.Length);
        for (var i = n; i < b.Length; i++) r[i] = 100 * (b[i].Close - b[i - n].Close) / b[i - n].Close;
        return r;
    }

    public static double[] Mfi(OhlcvBar[] b, int n)
    {
        var tp = b.Select(x => (x.High + x.Low + x.Close) / 3).ToArray();
        var r = Undefined(b.Length);
        for (var i = n; i < b.Length; i++)
        {
            double pos = 0, neg = 0;
            for (var j = i - n + 1; j <= i; j++)
            {
                if (tp[j] > tp[j - 1]) pos += tp[j] * b[j].Volume;
                else if (tp[j] < tp[j - 1]) neg += tp[j] * b[j].Volume;
            }
            r[i] = neg > 0 ? 100 - 100 / (1 + pos / neg) : pos > 0 ? 100 : 50;
        }
        return r;
    }

    public static double[] Obv(OhlcvBar[] b)
    {
        var r = new double[b.Length];
        for (var i = 1; i < b.Length; i++)
            r[i] = r[i - 1] + (b[i].Close > b[i - 1].Close ? b[i].Volume : b[i].Close < b[i - 1].Close ? -b[i].Volume : 0);
        return r;
    }

    /// <summary>Session VWAP (sessionTicks 0 = cumulative), every value summed again from the session start.</summary>
    public static double[] Vwap(OhlcvBar[] b, long sessionTicks)
    {
        var r = Undefined(b.Length);
        for (var i = 0; i < b.Length; i++)
        {
            double pv = 0, v = 0;
            for (var j = 0; j <= i; j++)
            {
                if (sessionTicks > 0 && b[j].Time.Ticks / sessionTicks != b[i].Time.Ticks / sessionTicks) continue;
                pv += (b[j].High + b[j].Low + b[j].Close) / 3 * b[j].Volume;
                v += b[j].Volume;
            }
            if (v > 0) r[i] = pv / v;
        }
        return r;
    }

    public static double[] RealizedVolatility(OhlcvBar[] b, int n)
    {
        var r = Undefined(b.Length);
        for (var i = n; i < b.Length; i++)
        {
            var s = 0.0;
            for (var j = i - n + 1; j <= i; j++) s += Math.Pow(Math.Log(b[j].Close / b[j - 1].Close), 2);
            r[i] = Math.Sqrt(s);
        }
        return r;
    }

    /// <summary>The reference outputs for a spec, in the spec's column order.</summary>
    public static double[][] For(IndicatorSpec spec, OhlcvBar[] bars)
    {
        var p = spec.Parameters.ToArray();
        int P(int i) => int.Parse(p[i]);
        var closes = Closes(bars);
        return spec.Kind switch
        {
            "sma" => [Sma(closes, P(0))],
            "ema" => [Ema(closes, P(0))],
            "wma" => [Wma(closes, P(0))],
            "rsi" => [Rsi(closes, P(0))],
            "macd" => Macd(bars, P(0), P(1), P(2)),
            "bb" => Bollinger(bars, P(0), IndicatorData.D(p[1])),
            "atr" => [Atr(bars, P(0))],
            "adx" => Adx(bars, P(0)),
            "stoch" => Stochastic(bars, P(0), P(1), P(2)),
            "willr" => [WilliamsR(bars, P(0))],
            "cci" => [Cci(bars, P(0))],
            "roc" => [Roc(bars, P(0))],
            "mfi" => [Mfi(bars, P(0))],
            "obv" => [Obv(bars)],
            "vwap" => [Vwap(bars, p.Length == 0 ? 0 : p[0] switch { "1d" => TimeSpan.TicksPerDay, "4h" => 4 * TimeSpan.TicksPerHour, var s => throw new ArgumentException(s) })],
            "rv" => [RealizedVolatility(bars, P(0))],
            _ => throw new ArgumentException($"no reference for {spec.Kind}"),
        };
    }
}
