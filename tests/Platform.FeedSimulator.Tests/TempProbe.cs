namespace Platform.FeedSimulator.Tests;
public sealed class TempProbe
{
    [Fact]
    public void Probe()
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var stones = CatalogueGenerator.Generate(42, 100_000);
        var gen = sw.Elapsed;
        sw.Restart();
        var big = CatalogueGenerator.Generate(42, 1_000_000);
        var genBig = sw.Elapsed; sw.Restart();
        var snap = CatalogueSnapshot.Create(42, big, 0);
        var sort = sw.Elapsed;
        var cuts = new[] { 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 150000 };
        var text = $"gen100k={gen.TotalMilliseconds} gen1M={genBig.TotalMilliseconds} sort1M={sort.TotalMilliseconds}\n";
        foreach (var c in cuts) text += $"<{c}: {stones.Count(s => s.PriceCents < c * 100) / 1000.0}%\n";
        text += $"min={stones.Min(s=>s.PriceCents)} max={stones.Max(s=>s.PriceCents)} at100-250={stones.Count(s=>s.PriceCents<250_00)} over150k={stones.Count(s=>s.PriceCents>=150_000_00)}\n";
        text += $"lab<20k={stones.Where(s=>s.LabGrown).Count(s=>s.PriceCents<20_000_00)*100.0/stones.Count(s=>s.LabGrown)} nat<20k={stones.Where(s=>!s.LabGrown).Count(s=>s.PriceCents<20_000_00)*100.0/stones.Count(s=>!s.LabGrown)}\n";
        text += $"c<1={stones.Count(s=>s.CaratHundredths<100)/1000.0}% c>3={stones.Count(s=>s.CaratHundredths>300)/1000.0}% c>5={stones.Count(s=>s.CaratHundredths>500)/1000.0}% c=10={stones.Count(s=>s.CaratHundredths==1000)}\n";
        File.WriteAllText("/tmp/probe.txt", text);
    }
}
