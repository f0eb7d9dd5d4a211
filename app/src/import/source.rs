//! Reading an import file into its header and rows, whatever wrote it: an Excel
//! workbook (`.xlsx`, `.xls`, `.ods`; the first sheet or a chosen one, read with
//! calamine) or delimited text as spreadsheets and CRMs export it (`, ; tab |`,
//! quoted fields with line breaks, a byte-order mark; UTF-8, UTF-16 or a legacy
//! encoding such as Windows-1252). What it finds is reported, and each guess can
//! be overridden. Text is read as it goes, never whole, so a file of any size
//! costs the same memory; a workbook is opened whole (its zip needs it).

use crate::error::{AppError, AppResult};
use encoding_rs::Encoding;
use std::io::{self, Cursor, Read};

/// The delimiters a text file may use, in the order they win a tie.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How many records decide the delimiter.
const SAMPLE: usize = 50;
/// How much of the text, from its start, is looked at to choose the delimiter.
const SAMPLE_BYTES: u64 = 64 * 1024;
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

/// One row's cells, trimmed.
pub type Row = csv::StringRecord;

/// The rows under the header, read as they are asked for; rows with no text are left out.
pub type Rows = Box<dyn Iterator<Item = AppResult<Row>> + Send>;

/// A file's header and its rows.
pub struct Table {
    pub format: Format,
    pub headers: Vec<String>,
    pub rows: Rows,
}

/// Reads the file `open` gives (from its start each time it is called: a text file
/// whose encoding is to be guessed is read twice) as a workbook when it is one (by its
/// first bytes), as text otherwise.
pub fn read<R, F>(open: F, reading: &Reading) -> AppResult<Table>
where
    R: Read + Send + 'static,
    F: Fn() -> io::Result<R>,
{
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0];
    let mut file = open().map_err(failed)?;
    let mut magic = Vec::with_capacity(4);
    (&mut file).take(4).read_to_end(&mut magic).map_err(failed)?;
    let file = Cursor::new(magic.clone()).chain(file);
    if magic.starts_with(ZIP) || magic.starts_with(OLE) {
        read_workbook(file, reading.sheet.as_deref())
    } else {
        let encoding = match reading.encoding {
            Some(encoding) => encoding,
            None => guess_encoding(open().map_err(failed)?).map_err(failed)?,
        };
        // A byte-order mark says the encoding itself, and is not part of the first header.
        let encoding = Encoding::for_bom(&magic).map_or(encoding, |(marked, _)| marked);
        read_text(file, encoding, reading.delimiter)
    }
}

fn unreadable(message: impl Into<String>) -> AppError {
    AppError::invalid("file", message)
}

fn failed(error: io::Error) -> AppError {
    AppError::internal("reading an import's file failed", error)
}

fn read_workbook(mut file: impl Read, sheet: Option<&str>) -> AppResult<Table> {
    use calamine::Reader;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(failed)?;
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
    let (height, width) = range.get_size();
    let rows = (0..height).map(move |r| {
        let mut row = Row::new();
        for c in 0..width {
            row.push_field(&range.get((r, c)).map(ToString::to_string).unwrap_or_default());
        }
        Ok(row)
    });
    table(Format::Workbook { sheet, sheets }, rows)
}

fn read_text(
    file: impl Read + Send + 'static,
    encoding: &'static Encoding,
    delimiter: Option<u8>,
) -> AppResult<Table> {
    let mut text =
        encoding_rs_io::DecodeReaderBytesBuilder::new().encoding(Some(encoding)).build(file);
    let mut start = Vec::new();
    (&mut text).take(SAMPLE_BYTES).read_to_end(&mut start).map_err(failed)?;
    if start.contains(&0) {
        return Err(unreadable("This file is neither text nor a workbook Kith can read."));
    }
    let delimiter = delimiter.unwrap_or_else(|| guess_delimiter(&String::from_utf8_lossy(&start)));
    let records = csv_reader(Cursor::new(start).chain(text), delimiter)
        .into_records()
        .map(|record| record.map_err(|e| AppError::internal("reading an import's file failed", e)));
    table(Format::Text { encoding, delimiter }, records)
}

/// The byte-order mark's encoding; else UTF-8 when the bytes are valid UTF-8; else
/// the legacy encoding the text reads best in (Windows-1252 for Western European).
/// Reads the file once, a megabyte at a time.
pub fn guess_encoding(mut file: impl Read) -> io::Result<&'static Encoding> {
    let mut buffer = vec![0; 1024 * 1024];
    let mut carried = 0;
    let mut detector: Option<chardetng::EncodingDetector> = None;
    let mut first = true;
    loop {
        let filled = carried + fill(&mut file, &mut buffer[carried..])?;
        let last = filled < buffer.len();
        let bytes = &buffer[..filled];
        if std::mem::take(&mut first) {
            if let Some((encoding, _)) = Encoding::for_bom(bytes) {
                return Ok(encoding);
            }
        }
        carried = 0;
        match (&mut detector, std::str::from_utf8(bytes)) {
            (Some(detector), _) => {
                detector.feed(bytes, last);
            }
            (None, Ok(_)) => {}
            // A character cut by the buffer's end: its first bytes go round again.
            (None, Err(cut)) if cut.error_len().is_none() && !last => {
                let valid = cut.valid_up_to();
                buffer.copy_within(valid..filled, 0);
                carried = filled - valid;
            }
            (None, Err(_)) => {
                let mut legacy =
                    chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
                legacy.feed(bytes, last);
                detector = Some(legacy);
            }
        }
        if last {
            break;
        }
    }
    Ok(detector.map_or(encoding_rs::UTF_8, |d| d.guess(None, chardetng::Utf8Detection::Deny)))
}

/// Reads until `buffer` is full or the file ends; how much was read.
fn fill(file: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// The delimiter that splits the first records into the same number of fields (two
/// or more) most often; a comma when none does.
pub fn guess_delimiter(text: &str) -> u8 {
    let score = |delimiter: u8| {
        let widths: Vec<usize> = csv_reader(text.as_bytes(), delimiter)
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

fn csv_reader<R: Read>(text: R, delimiter: u8) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text)
}

/// The first non-empty row is the header; cells are trimmed, rows with no text
/// dropped and any NUL character left out (no database stores one in text).
fn table(
    format: Format,
    records: impl Iterator<Item = AppResult<Row>> + Send + 'static,
) -> AppResult<Table> {
    let mut rows = records.filter_map(|record| {
        let mut row = match record {
            Ok(row) => row,
            Err(error) => return Some(Err(error)),
        };
        if row.as_slice().contains('\0') {
            row = row.iter().map(|cell| cell.replace('\0', "")).collect();
        }
        row.trim();
        row.iter().any(|cell| !cell.is_empty()).then_some(Ok(row))
    });
    let headers: Vec<String> = rows
        .next()
        .ok_or_else(|| unreadable("The file is empty."))??
        .iter()
        .map(str::to_owned)
        .collect();
    if headers.len() > MAX_COLUMNS {
        return Err(unreadable(format!(
            "The file has {} columns; Kith reads files of up to {MAX_COLUMNS}. Remove the columns you do not need.",
            headers.len()
        )));
    }
    Ok(Table { format, headers, rows: Box::new(rows) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A file read through to its end.
    #[derive(Debug)]
    struct Whole {
        format: Format,
        headers: Vec<String>,
        rows: Vec<Vec<String>>,
    }

    fn read(bytes: &[u8], reading: &Reading) -> AppResult<Whole> {
        let bytes = bytes.to_vec();
        let table = super::read(move || Ok(Cursor::new(bytes.clone())), reading)?;
        let rows = table.rows.map(|row| row.map(|r| r.iter().map(str::to_owned).collect()));
        Ok(Whole {
            format: table.format,
            headers: table.headers,
            rows: rows.collect::<AppResult<_>>()?,
        })
    }

    fn text_format(table: &Whole) -> (&'static str, u8) {
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
            table.rows,
            [
                ["Zoë Martin", "zoe@example.fr", "Société Générale"],
                ["Durand; Paul", "paul@example.fr", ""]
            ]
        );
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
        assert_eq!(table.rows, [["José Núñez", "jose@example.com", "Line one\r\nline two"]]);
    }

    #[test]
    fn utf8_with_a_byte_order_mark_keeps_the_mark_out_of_the_first_header() {
        let bytes = "\u{feff}Name,Email\n\"Lee, Ann\",ann@example.com\n\n,\n".as_bytes();
        let table = read(bytes, &Reading::default()).expect("read");
        assert_eq!(text_format(&table), ("UTF-8", b','));
        assert_eq!(table.headers, ["Name", "Email"]);
        assert_eq!(table.rows, [["Lee, Ann", "ann@example.com"]]);
    }

    #[test]
    fn pipes_are_found_and_a_chosen_delimiter_and_encoding_win() {
        let bytes = b"name|email|company\nAda|ada@example.com|Engines, Ltd\n";
        assert_eq!(guess_delimiter(std::str::from_utf8(bytes).expect("utf-8")), b'|');
        let chosen = Reading { delimiter: Some(b','), ..Reading::default() };
        let table = read(bytes, &chosen).expect("read");
        assert_eq!(table.headers, ["name|email|company"]);
        assert_eq!(table.rows, [["Ada|ada@example.com|Engines", "Ltd"]]);
        let latin = Reading { encoding: Some(encoding_rs::WINDOWS_1252), ..Reading::default() };
        let table = read("Name\nZoë\n".as_bytes(), &latin).expect("read");
        assert_eq!(table.rows, [["ZoÃ«"]]);
    }

    #[test]
    fn the_encoding_is_guessed_from_the_whole_file_not_its_first_megabyte() {
        let mut late_latin = "Name\n".repeat(300_000).into_bytes();
        late_latin.extend_from_slice(b"Zo\xeb\n");
        assert_eq!(
            guess_encoding(late_latin.as_slice()).expect("guess"),
            encoding_rs::WINDOWS_1252
        );
        // A two-byte character cut by the end of the first megabyte is still UTF-8.
        let mut cut = vec![b'a'; 1024 * 1024 - 1];
        cut.extend_from_slice("é\nZoë\n".as_bytes());
        assert_eq!(guess_encoding(cut.as_slice()).expect("guess"), encoding_rs::UTF_8);
        let table = read(&cut, &Reading::default()).expect("read");
        assert!(table.headers[0].ends_with("aé"));
        assert_eq!(table.rows, [["Zoë"]]);
    }

    #[test]
    fn nul_characters_inside_text_are_left_out_of_the_cells() {
        let mut bytes = b"Name,Email\n".repeat(8000);
        bytes.extend_from_slice(b"Ada\0 Lovelace,ada@example.com\n");
        let table = read(&bytes, &Reading::default()).expect("read");
        assert_eq!(table.rows.last().expect("last row"), &["Ada Lovelace", "ada@example.com"]);
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
        assert_eq!(table.rows, [["Grace Hopper", "15551234567", "2.5"], ["Alan Turing", "", "3"]]);
        let missing = Reading { sheet: Some("Deals".into()), ..Reading::default() };
        assert!(read(&bytes, &missing).is_err());
    }
}
