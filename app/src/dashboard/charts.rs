//! Bar charts drawn in the browser by ECharts, each beside a table of the same
//! numbers. The server describes each chart with charming (an ECharts option, as
//! JSON), so the browser's WebAssembly carries no chart library: it hands the
//! option to ECharts. Server rendering and pages without JavaScript show the
//! table; once a chart is drawn its table is left to screen readers, and the
//! chart itself is hidden from them. The ECharts script is loaded only by pages
//! that draw a chart, from Kith's own `/vendor` directory.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The numbers behind a chart: one label per bar (or group of bars), and named
/// series with one value per label; and the ECharts option that draws them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartData {
    pub categories: Vec<String>,
    pub series: Vec<(String, Vec<i64>)>,
    /// The ECharts option (JSON), built on the server by [`ChartData::bars`].
    pub option: String,
}

#[cfg(feature = "ssr")]
impl ChartData {
    /// A bar chart of `series` over `categories`, with a legend when there are several.
    pub fn bars(categories: Vec<String>, series: Vec<(&str, Vec<i64>)>) -> Self {
        use charming::component::{Axis, Grid, Legend};
        use charming::element::{AxisType, Tooltip, Trigger};
        use charming::series::Bar;
        use charming::Chart;
        let mut chart = Chart::new()
            .background_color("transparent")
            .tooltip(Tooltip::new().trigger(Trigger::Axis))
            .grid(Grid::new().left(8).right(8).top(32).bottom(8).contain_label(true))
            .x_axis(Axis::new().type_(AxisType::Category).data(categories.clone()))
            .y_axis(Axis::new().type_(AxisType::Value).min_interval(1));
        if series.len() > 1 {
            chart = chart.legend(Legend::new());
        }
        for (name, values) in &series {
            chart = chart.series(Bar::new().name(*name).data(values.clone()));
        }
        let series = series.into_iter().map(|(name, values)| (name.to_owned(), values)).collect();
        Self { categories, series, option: serde_json::to_string(&chart).unwrap_or_default() }
    }
}

/// A bar chart and, with `table`, the table of its numbers. An island: the browser draws it.
#[island]
pub fn BarChart(
    /// The chart element's id; the table's is `{id}-table`.
    #[prop(into)]
    id: String,
    #[prop(into)] caption: String,
    /// The heading of the table's first column (what a category is).
    #[prop(into)]
    category_header: String,
    data: ChartData,
    table: bool,
) -> impl IntoView {
    let drawn = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    draw::when_ready(id.clone(), data.clone(), drawn);
    let table = table.then(|| {
        let headers = data
            .series
            .iter()
            .map(|(name, _)| view! { <th scope="col">{name.clone()}</th> })
            .collect_view();
        let rows = data
            .categories
            .iter()
            .enumerate()
            .map(|(i, category)| {
                let cells = data
                    .series
                    .iter()
                    .map(|(_, values)| view! { <td>{values.get(i).copied().unwrap_or(0)}</td> })
                    .collect_view();
                view! { <tr><th scope="row">{category.clone()}</th>{cells}</tr> }
            })
            .collect_view();
        view! {
            <div class=move || if drawn.get() { "sr-only" } else { "table-wrap" }>
                <table class="data-table" id=format!("{}-table", id.clone())>
                    <caption class="sr-only">{caption}</caption>
                    <thead><tr><th scope="col">{category_header}</th>{headers}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    });
    view! {
        <div id=id class="chart" aria-hidden="true" hidden=move || !drawn.get()></div>
        {table}
    }
}

#[cfg(feature = "hydrate")]
mod draw {
    use super::ChartData;
    use leptos::prelude::*;
    use std::cell::{Cell, RefCell};
    use std::collections::HashSet;
    use wasm_bindgen::prelude::*;

    /// Served by Kith from the `echarts` npm package (copied in at build time).
    const SCRIPT: &str = "/vendor/echarts.min.js";
    const SCRIPT_ID: &str = "echarts-script";
    const DARK: &str = "(prefers-color-scheme: dark)";

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = echarts, js_name = dispose)]
        fn dispose(element: &web_sys::Element);
        type Instance;
        #[wasm_bindgen(js_namespace = echarts, js_name = init)]
        fn init(element: &web_sys::Element, theme: &JsValue) -> Instance;
        #[wasm_bindgen(js_namespace = echarts, js_name = getInstanceByDom)]
        fn instance_of(element: &web_sys::Element) -> Option<Instance>;
        #[wasm_bindgen(method, js_name = setOption)]
        fn set_option(this: &Instance, option: &JsValue);
        #[wasm_bindgen(method)]
        fn resize(this: &Instance);
    }

    thread_local! {
        /// The colour scheme charts follow: the system's, kept up to date.
        static DARK_SCHEME: RwSignal<bool> = watch_scheme();
        static LOADED: Cell<bool> = const { Cell::new(false) };
        static RESIZING: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
    }

    /// Draws the chart once the ECharts script is there, loading it first if
    /// needed; draws it again when the colour scheme changes.
    pub fn when_ready(id: String, data: ChartData, drawn: RwSignal<bool>) {
        let ready = RwSignal::new(LOADED.with(Cell::get) || has_echarts());
        if !ready.get_untracked() {
            load_script(ready);
        }
        let dark = DARK_SCHEME.with(|s| *s);
        resize_with_window(id.clone());
        Effect::new(move |_| {
            let dark = dark.get();
            if !ready.get() {
                return;
            }
            drawn.set(true);
            let (id, data) = (id.clone(), data.clone());
            // After the reveal above reaches the page, so ECharts sees the element's size.
            request_animation_frame(move || render(&id, &data, dark));
        });
    }

    fn has_echarts() -> bool {
        js_sys::Reflect::has(&window(), &JsValue::from_str("echarts")).unwrap_or(false)
    }

    fn load_script(ready: RwSignal<bool>) {
        let doc = document();
        let script = doc.get_element_by_id(SCRIPT_ID).or_else(|| {
            let script = doc.create_element("script").ok()?;
            script.set_id(SCRIPT_ID);
            script.set_attribute("src", SCRIPT).ok()?;
            doc.head()?.append_child(&script).ok()?;
            Some(script)
        });
        let Some(script) = script else { return };
        let on_load = Closure::once_into_js(move || {
            LOADED.with(|l| l.set(true));
            ready.try_set(true);
        });
        let _ = script.add_event_listener_with_callback("load", on_load.unchecked_ref());
    }

    fn render(id: &str, data: &ChartData, dark: bool) {
        let Some(element) = document().get_element_by_id(id) else {
            return;
        };
        dispose(&element);
        let option = match js_sys::JSON::parse(&data.option) {
            Ok(option) => option,
            Err(error) => return leptos::logging::warn!("chart {id} not drawn: {error:?}"),
        };
        let theme = if dark { JsValue::from_str("dark") } else { JsValue::NULL };
        init(&element, &theme).set_option(&option);
    }

    /// One window listener per chart id, resizing whichever chart has that id now.
    fn resize_with_window(id: String) {
        if !RESIZING.with(|r| r.borrow_mut().insert(id.clone())) {
            return;
        }
        let on_resize = Closure::<dyn Fn()>::new(move || {
            if let Some(chart) = document().get_element_by_id(&id).and_then(|e| instance_of(&e)) {
                chart.resize();
            }
        });
        let _ =
            window().add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref());
        on_resize.forget();
    }

    fn watch_scheme() -> RwSignal<bool> {
        let query = window().match_media(DARK).ok().flatten();
        let dark = RwSignal::new(query.as_ref().is_some_and(|q| q.matches()));
        if let Some(query) = query {
            let watched = query.clone();
            let on_change = Closure::<dyn Fn()>::new(move || dark.set(watched.matches()));
            let _ = query
                .add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
            on_change.forget();
        }
        dark
    }
}
