using BenchmarkDotNet.Running;

namespace Hean.Benchmarks;

public static class Program
{
    /// <summary>
    /// dotnet run -c Release --project tests/Hean.Benchmarks -- --filter '*' --job short
    /// (BenchmarkDotNet's own switches; --filter '*Indicator*' for one class).
    /// </summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
