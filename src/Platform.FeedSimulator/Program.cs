using Platform.FeedSimulator.Admin;
using Platform.FeedSimulator.Hosting;
using Platform.FeedSimulator.Supplier;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddFeedSimulator();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapSupplierApi();
app.MapAdminApi();
app.MapDefaultEndpoints();

await app.RunAsync();
