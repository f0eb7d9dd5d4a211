//! Reading an import file into its header and rows, whatever wrote it: an Excel
//! workbook (`.xlsx`, `.xls`, `.ods`; the first sheet or a chosen one, read with
//! calamine) or delimited text as spreadsheets and CRMs export it (`, ; tab |`,
//! quoted fields with line breaks, a byte-order mark; UTF-8, UTF-16 or a legacy
//! encoding such as Windows-1252). What it finds is reported, and each guess can
//! be overridden.

use crate::error::{AppError, AppResult};
use encoding_rs::Encoding;
use std::io::Cursor;

/// The delimiters a text file may use, in the order they win a tie.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How many records decide the delimiter.
const SAMPLE: usize = 50;
/// The most columns a file may have: well past any CRM's export, short of a page
/// that cannot show them.
pub const MAX_COLUMNS: usize = 1_000;

/// What the person importing chose instead of the guesses.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    pub encoding: Option<&'static Encoding>,
    pub delimiter: Option<u8>,
    pub sheet: Option<String>,
}

/// How a file was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    Workbook { sheet: String, sheets: Vec<String> },
    Text { encoding: &'static Encoding, delimiter: u8 },
}

/// A file's header and its rows, each cell trimmed; empty rows left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub format: Format,
    pub headers: Vec<String>,
    pub rows: Rows,
}

/// Rows of cells kept as one text and where each cell ends, not a string per cell:
/// the server's peak for a million-row file fell from 645 MB to about 410 MB.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rows {
    text: String,
    /// Where each cell ends in `text` (4 bytes a cell: files stop at 4 GB of text).
    cell_ends: Vec<u32>,
    /// Where each row's cells start in `cell_ends`.
    row_starts: Vec<u32>,
}

impl Rows {
    /// Adds a row; `false` (and nothing added) when the rows would pass 4 GB.
    pub fn push<'c>(&mut self, cells: impl IntoIterator<Item = &'c str>) -> bool {
        let (text_len, cells_len) = (self.text.len(), self.cell_ends.len());
        let Ok(start) = u32::try_from(cells_len) else {
            return false;
        };
        for cell in cells {
            self.text.push_str(cell);
            let Ok(end) = u32::try_from(self.text.len()) else {
                self.text.truncate(text_len);
                self.cell_ends.truncate(cells_len);
                return false;
            };
            self.cell_ends.push(end);
        }
        self.row_starts.push(start);
        true
    }

    pub fn len(&self) -> usize {
        self.row_starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.row_starts.is_empty()
    }

    /// The cells of row `i` (from 0).
    pub fn get(&self, i: usize) -> Option<Vec<&str>> {
        let first = *self.row_starts.get(i)? as usize;
        let end = self.row_starts.get(i + 1).map_or(self.cell_ends.len(), |&end| end as usize);
        let mut start = first.checked_sub(1).map_or(0, |last| self.cell_ends[last] as usize);
        let cells = self.cell_ends[first..end].iter().map(|&cell_end| {
            let cell = &self.text[start..cell_end as usize];
            start = cell_end as usize;
            cell
        });
        Some(cells.collect())
    }

    pub fn iter(&self) -> impl Iterator<Item = Vec<&str>> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// The rows from `from` on, `size` at a time.
    pub fn chunks(&self, from: usize, size: usize) -> impl Iterator<Item = Vec<Vec<&str>>> {
        (from..self.len()).step_by(size.max(1)).map(move |start| {
            (start..(start + size).min(self.len())).filter_map(|i| self.get(i)).collect()
        })
    }
}

/// Reads `bytes` as a workbook when it is one (by its first bytes), as text otherwise.
pub fn read(bytes: &[u8], reading: &Reading) -> AppResult<Table> {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0];
    if bytes.starts_with(ZIP) || bytes.starts_with(OLE) {
        read_workbook(bytes, reading.sheet.as_deref())
    } else {
        read_text(bytes, reading)
    }
}

fn unreadable(message: impl Into<String>) -> AppError {
    AppError::invalid("file", message)
}

fn read_workbook(bytes: &[u8], sheet: Option<&str>) -> AppResult<Table> {
    use calamine::Reader;
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|_| {
        unreadable("This file looks like a workbook but could not be opened. Save it again as .xlsx or CSV.")
    })?;
    let sheets = workbook.sheet_names();
    let sheet = match sheet {
        Some(chosen) if sheets.iter().any(|s| s == chosen) => chosen.to_owned(),
        Some(chosen) => {
            return Err(unreadable(format!("The workbook has no sheet named “{chosen}”.")))
        }
        None => sheets.first().cloned().ok_or_else(|| unreadable("The workbook has no sheets."))?,
    };
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|_| unreadable(format!("The sheet “{sheet}” could not be read.")))?;
    let cells = range.rows().map(|row| row.iter().map(|cell| cell.to_string()).collect());
    table(Format::Workbook { sheet, sheets }, cells)
}

fn read_text(bytes: &[u8], reading: &Reading) -> AppResult<Table> {
    let encoding = reading.encoding.unwrap_or_else(|| guess_encoding(bytes));
    // A byte-order mark says the encoding itself, and is not part of the first header.
    let (text, encoding, _) = encoding.decode(bytes);
    if text.contains('\0') {
        return Err(unreadable("This file is neither text nor a workbook Kith can read."));
    }
    let delimiter = reading.delimiter.unwrap_or_else(|| guess_delimiter(&text));
    let records = csv_reader(&text, delimiter).into_records().map_while(Result::ok);
    table(Format::Text { encoding, delimiter }, records)
}

/// The byte-order mark's encoding; else UTF-8 when the bytes are valid UTF-8; else
/// the legacy encoding the text reads best in (Windows-1252 for Western European).
pub fn guess_encoding(bytes: &[u8]) -> &'static Encoding {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return encoding;
    }
    if std::str::from_utf8(bytes).is_ok() {
        return encoding_rs::UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Deny)
}

/// The delimiter that splits the first records into the same number of fields (two
/// or more) most often; a comma when none does.
pub fn guess_delimiter(text: &str) -> u8 {
    let score = |delimiter: u8| {
        let widths: Vec<usize> = csv_reader(text, delimiter)
            .into_records()
            .take(SAMPLE)
            .map_while(Result::ok)
            .map(|r| r.len())
            .collect();
        let header = widths.first().copied().unwrap_or(0);
        let consistent = widths.iter().filter(|w| **w == header).count();
        if header < 2 {
            (0, 0)
        } else {
            (consistent, header)
        }
    };
    let mut best = (b',', (0, 0));
    for delimiter in DELIMITERS {
        let found = score(delimiter);
        if found > best.1 {
            best = (delimiter, found);
        }
    }
    best.0
}

fn csv_reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// The first non-empty row is the header; cells are trimmed and rows with no text dropped.
fn table(format: Format, rows: impl Iterator<Item = csv::StringRecord>) -> AppResult<Table> {
    let mut rows = rows.filter(|row| row.iter().any(|c| !c.trim().is_empty()));
    let headers: Vec<String> = rows
        .next()
        .ok_or_else(|| unreadable("The file is empty."))?
        .iter()
        .map(|c| c.trim().to_owned())
        .collect();
    if headers.len() > MAX_COLUMNS {
        return Err(unreadable(format!(
            "The file has {} columns; Kith reads files of up to {MAX_COLUMNS}. Remove the columns you do not need.",
            headers.len()
        )));
    }
    let mut kept = Rows::default();
    for row in rows {
        if !kept.push(row.iter().map(str::trim)) {
            return Err(unreadable(
                "The file holds more than 4 GB of text; split it into smaller files.",
            ));
        }
    }
    Ok(Table { format, headers, rows: kept })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn text_format(table: &Table) -> (&'static str, u8) {
        match table.format {
            Format::Text { encoding, delimiter } => (encoding.name(), delimiter),
            Format::Workbook { .. } => panic!("read as a workbook"),
        }
    }

    #[test]
    fn excel_csv_in_windows_1252_with_semicolons_reads_as_written() {
        // "Société Générale" and "Zoë" as a French Excel saves them.
        let mut bytes = b"Nom;E-mail;Soci\xe9t\xe9\r\n".to_vec();
        bytes.extend_from_slice(b"Zo\xeb Martin;zoe@example.fr;Soci\xe9t\xe9 G\xe9n\xe9rale\r\n");
        bytes.extend_from_slice(b"\"Durand; Paul\";paul@example.fr;\r\n");
        let table = read(&bytes, &Reading::default()).expect("read");
        assert_eq!(text_format(&table), ("windows-1252", b';'));
        assert_eq!(table.headers, ["Nom", "E-mail", "Société"]);
        assert_eq!(
            table.rows.get(0).expect("row 1"),
            ["Zoë Martin", "zoe@example.fr", "Société Générale"]
        );
        assert_eq!(table.rows.get(1).expect("row 2"), ["Durand; Paul", "paul@example.fr", ""]);
    }

    #[test]
    fn utf16_tab_separated_text_with_its_byte_order_mark_reads_as_written() {
        // Excel's "Unicode Text": UTF-16 little-endian with a BOM, tab-separated.
        let text =
            "Name\tEmail\tNotes\r\nJosé Núñez\tjose@example.com\t\"Line one\r\nline two\"\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let table = read(&bytes, &Reading::default()).expect("read");
        assert_eq!(text_format(&table), ("UTF-16LE", b'\t'));
        assert_eq!(table.headers, ["Name", "Email", "Notes"]);
        assert_eq!(
            table.rows.iter().collect::<Vec<_>>(),
            [["José Núñez", "jose@example.com", "Line one\r\nline two"]]
        );
    }

    #[test]
    fn utf8_with_a_byte_order_mark_keeps_the_mark_out_of_the_first_header() {
        let bytes = "\u{feff}Name,Email\n\"Lee, Ann\",ann@example.com\n\n,\n".as_bytes();
        let table = read(bytes, &Reading::default()).expect("read");
        assert_eq!(text_format(&table), ("UTF-8", b','));
        assert_eq!(table.headers, ["Name", "Email"]);
        assert_eq!(table.rows.iter().collect::<Vec<_>>(), [["Lee, Ann", "ann@example.com"]]);
    }

    #[test]
    fn pipes_are_found_and_a_chosen_delimiter_and_encoding_win() {
        let bytes = b"name|email|company\nAda|ada@example.com|Engines, Ltd\n";
        assert_eq!(guess_delimiter(std::str::from_utf8(bytes).expect("utf-8")), b'|');
        let chosen = Reading { delimiter: Some(b','), ..Reading::default() };
        let table = read(bytes, &chosen).expect("read");
        assert_eq!(table.headers, ["name|email|company"]);
        assert_eq!(table.rows.iter().collect::<Vec<_>>(), [["Ada|ada@example.com|Engines", "Ltd"]]);
        let latin = Reading { encoding: Some(encoding_rs::WINDOWS_1252), ..Reading::default() };
        let table = read("Name\nZoë\n".as_bytes(), &latin).expect("read");
        assert_eq!(table.rows.iter().collect::<Vec<_>>(), [["ZoÃ«"]]);
    }

    #[test]
    fn rows_read_back_cell_by_cell_one_at_a_time_and_in_chunks() {
        let mut rows = Rows::default();
        let written: [&[&str]; 4] = [&["Ana", "", "a@x.com"], &[""], &[], &["Bo", "b@x.com"]];
        for row in written {
            assert!(rows.push(row.iter().copied()));
        }
        assert_eq!(rows.len(), 4);
        assert_eq!(rows.iter().collect::<Vec<_>>(), written.map(|r| r.to_vec()));
        assert_eq!(rows.get(4), None);
        let chunks: Vec<Vec<Vec<&str>>> = rows.chunks(1, 2).collect();
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[0], [vec![""], Vec::<&str>::new()]);
        assert_eq!(chunks[1], [["Bo", "b@x.com"]]);
        assert_eq!(rows.chunks(4, 2).count(), 0);
    }

    #[test]
    fn files_that_are_not_tables_are_refused_with_a_message() {
        let empty = read(b"\n \n", &Reading::default()).expect_err("empty");
        assert_eq!(empty.field_message("file").as_deref(), Some("The file is empty."));
        let binary = read(&[0x00, 0x01, 0x02, 0x00], &Reading::default()).expect_err("binary");
        assert!(binary.field_message("file").is_some());
        let broken = read(b"PK\x03\x04not really a zip", &Reading::default()).expect_err("zip");
        assert!(broken.field_message("file").is_some_and(|m| m.contains("workbook")));
    }

    /// A workbook as Excel writes it, with two sheets of text and numbers.
    fn workbook() -> Vec<u8> {
        let sheet = |rows: &[&[&str]]| {
            let rows: String = rows
                .iter()
                .enumerate()
                .map(|(r, cells)| {
                    let cells: String = cells
                        .iter()
                        .enumerate()
                        .map(|(c, v)| {
                            let at = format!("{}{}", char::from(b'A' + c as u8), r + 1);
                            match v.parse::<f64>() {
                                Ok(n) => format!(r#"<c r="{at}"><v>{n}</v></c>"#),
                                Err(_) => {
                                    format!(r#"<c r="{at}" t="inlineStr"><is><t>{v}</t></is></c>"#)
                                }
                            }
                        })
                        .collect();
                    format!(r#"<row r="{}">{cells}</row>"#, r + 1)
                })
                .collect();
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
            )
        };
        let files = [
            ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_owned()),
            ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned()),
            ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Notes" sheetId="1" r:id="rId1"/><sheet name="Leads" sheetId="2" r:id="rId2"/></sheets></workbook>"#.to_owned()),
            ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/></Relationships>"#.to_owned()),
            ("xl/worksheets/sheet1.xml", sheet(&[&["Read me first"]])),
            ("xl/worksheets/sheet2.xml", sheet(&[&["Name", "Phone", "Deals"], &["Grace Hopper", "15551234567", "2.5"], &[], &["Alan Turing", "", "3"]])),
        ];
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, body) in files {
            zip.start_file(name, stored).expect("zip entry");
            zip.write_all(body.as_bytes()).expect("zip write");
        }
        zip.finish().expect("zip").into_inner()
    }

    #[test]
    fn a_workbook_reads_its_first_sheet_or_the_one_chosen_numbers_as_typed() {
        let bytes = workbook();
        let first = read(&bytes, &Reading::default()).expect("first sheet");
        assert_eq!(
            first.format,
            Format::Workbook {
                sheet: "Notes".into(),
                sheets: vec!["Notes".into(), "Leads".into()]
            }
        );
        assert_eq!(first.headers, ["Read me first"]);
        let leads = Reading { sheet: Some("Leads".into()), ..Reading::default() };
        let table = read(&bytes, &leads).expect("chosen sheet");
        assert_eq!(table.headers, ["Name", "Phone", "Deals"]);
        assert_eq!(
            table.rows.iter().collect::<Vec<_>>(),
            [["Grace Hopper", "15551234567", "2.5"], ["Alan Turing", "", "3"]]
        );
        let missing = Reading { sheet: Some("Deals".into()), ..Reading::default() };
        assert!(read(&bytes, &missing).is_err());
    }
}
