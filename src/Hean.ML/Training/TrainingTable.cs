using System.Globalization;
using System.Text;

namespace Hean.ML.Training;

/// <summary>The walk-forward report as a fixed-width text table, one line per window and a mean line.</summary>
public static class TrainingTable
{
    public static string Format(TrainingReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var regression = report.Kind == ModelKinds.LightGbmReturn;
        var text = new StringBuilder();
        var header = regression
            ? $"{"win",3} {"test from",-16} {"test to",-16} {"train",6} {"test",5} {"rmse",9} {"ic",7} {"pearson",7} {"net",8} {"gross",8} {"b&h",8} {"hit",6} {"trades",6} {"fit s",6}"
            : $"{"win",3} {"test from",-16} {"test to",-16} {"train",6} {"test",5} {"auc",6} {"acc",6} {"logloss",7} {"ic",7} {"net",8} {"gross",8} {"b&h",8} {"hit",6} {"trades",6} {"fit s",6}";
        text.AppendLine(header);
        foreach (var w in report.Windows)
        {
            var b = w.Backtest;
            var common = FormattableString.Invariant($"{w.Index,3} {w.TestFrom,-16:yyyy-MM-dd HH:mm} {w.TestTo,-16:yyyy-MM-dd HH:mm} {w.TrainRows,6} {w.TestRows,5} ");
            var tail = FormattableString.Invariant($"{Pct(b.NetReturn),8} {Pct(b.GrossReturn),8} {Pct(b.BuyAndHold),8} {Num(b.HitRate, "0.000"),6} {b.PositionChanges,6} {w.TrainSeconds,6:0.00}");
            text.AppendLine(regression
                ? FormattableString.Invariant($"{common}{Num(w.Rmse, "0.00000"),9} {Num(w.InformationCoefficient, "0.000"),7} {Num(w.Pearson, "0.000"),7} {tail}")
                : FormattableString.Invariant($"{common}{Num(w.Auc, "0.000"),6} {Num(w.Accuracy, "0.000"),6} {Num(w.LogLoss, "0.000"),7} {Num(w.InformationCoefficient, "0.000"),7} {tail}"));
        }
        var s = report.Summary();
        text.AppendLine(regression
            ? FormattableString.Invariant($"mean: rmse {Num(s["rmse"], "0.00000")}, ic {Num(s["ic"], "0.000")}, pearson {Num(s["pearson"], "0.000")}")
            : FormattableString.Invariant($"mean: auc {Num(s["auc"], "0.000")}, accuracy {Num(s["accuracy"], "0.000")}, log-loss {Num(s["log_loss"], "0.000")}, ic {Num(s["ic"], "0.000")}"));
        text.AppendLine(CultureInfo.InvariantCulture,
            $"backtest over {report.Windows.Count} test windows: net {Pct(s["net_return"])}, gross {Pct(s["gross_return"])}, buy-and-hold {Pct(s["buy_and_hold"])}, mean hit rate {Num(s["hit_rate"], "0.000")} (log returns, fee {report.Settings.FeeRate * 1e4:0.##} bps per side)");
        return text.ToString();
    }

    private static string Num(double value, string format) => double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    private static string Pct(double value) => double.IsFinite(value) ? (value * 100).ToString("+0.00;-0.00", CultureInfo.InvariantCulture) + "%" : "n/a";
}
