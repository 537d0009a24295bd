namespace Hean.Host.Commands;

/// <summary>Arguments of <c>hean train --model rl-execution</c>: recorded book data, where the policy goes, the seed.</summary>
public sealed record RlTrainArgs(string Data, string? OutDir, ulong Seed);

/// <summary>Training of the reinforcement-learning execution agent (<c>hean train --model rl-execution</c>).</summary>
public static class RlTrainCommand
{
    public static Task<int> RunAsync(RlTrainArgs args, CancellationToken ct)
    {
        Console.Error.WriteLine("error: rl-execution training is not available in this build yet");
        return Task.FromResult(Program.Failed);
    }
}
