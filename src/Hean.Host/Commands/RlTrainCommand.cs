using Hean.Core.Domain;
using Hean.ML.Rl;

namespace Hean.Host.Commands;

/// <summary>Arguments of <c>hean train --model rl-execution</c>: recorded book data, where the policy goes, the seed.</summary>
public sealed record RlTrainArgs(string Data, string ModelDir, ulong Seed);

/// <summary>
/// Training of the reinforcement-learning execution agent (<c>hean train --model rl-execution --data SET[,SET…] [--model-dir DIR] [--seed S]</c>):
/// tabular Q-learning on the simulated exchange over the training data, an evaluation against TWAP and crossing on
/// the held-out data (printed, and kept in <c>info.json</c>), the policy saved as <c>DIR/rl-execution/vNNNN/</c>.
/// See <see cref="RlData"/> for the data sets and <see cref="RlRunSettings.Default"/> for the episodes.
/// Exit code 0 done, 2 bad input, 1 anything else.
/// </summary>
public static class RlTrainCommand
{
    public static Task<int> RunAsync(RlTrainArgs args, CancellationToken ct) => Program.Guard(async () =>
    {
        ArgumentNullException.ThrowIfNull(args);
        if (string.IsNullOrWhiteSpace(args.Data))
            throw new ArgumentException("--data is required: Binance captures (FILE[+FILE][,FILE…]), trades CSVs, or 'synthetic'");
        await Task.Run(() => RlTrainingRun.Run(args.Data, args.ModelDir, args.Seed, RlRunSettings.Default, InstrumentCatalog.Default, Console.WriteLine, ct), ct);
        return Program.Ok;
    });
}
