<?php
/**
 * Router for PHP's built-in web server, standing in for Apache's mod_rewrite rules.
 *
 * Real files (styles, scripts, images) are served as they are; a request for an existing PHP
 * script runs it; anything else goes to WordPress's index.php, which is what makes pretty
 * permalinks work. ABSPATH is fixed here so WordPress loads our wp-config.php, not Debian's.
 */

$blogcorpus_root = rtrim( $_SERVER['DOCUMENT_ROOT'], '/' );
define( 'ABSPATH', $blogcorpus_root . '/' );

$blogcorpus_path = urldecode( parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) ?? '/' );
if ( strpos( $blogcorpus_path, '..' ) !== false ) {
	http_response_code( 400 );
	return true;
}
$blogcorpus_file = $blogcorpus_root . $blogcorpus_path;
if ( is_dir( $blogcorpus_file ) && is_file( rtrim( $blogcorpus_file, '/' ) . '/index.php' ) && $blogcorpus_path !== '/' ) {
	$blogcorpus_file = rtrim( $blogcorpus_file, '/' ) . '/index.php';
	$blogcorpus_path = rtrim( $blogcorpus_path, '/' ) . '/index.php';
}

if ( is_file( $blogcorpus_file ) && substr( $blogcorpus_file, -4 ) !== '.php' ) {
	return false; // A static file: let the built-in server send it.
}

if ( ! is_file( $blogcorpus_file ) || $blogcorpus_path === '/' ) {
	$blogcorpus_path = '/index.php';
	$blogcorpus_file = $blogcorpus_root . '/index.php';
}
$_SERVER['SCRIPT_NAME']     = $blogcorpus_path;
$_SERVER['PHP_SELF']        = $blogcorpus_path;
$_SERVER['SCRIPT_FILENAME'] = $blogcorpus_file;
chdir( dirname( $blogcorpus_file ) );
require $blogcorpus_file;
